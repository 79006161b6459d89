package io.timeoutpolicy.client;

import java.time.Duration;
import java.time.Instant;

/**
 * One attempt to report (SPEC 2). Only operation, duration and success are needed: the environment defaults to
 * the last one asked for, the id to a new UUID, {@code occurredAt} to now, the timeout in force to the effective
 * one of the last start-up configuration, service and instance to the client's. {@code policyVersion} is the
 * version of the policy whose values were applied (SPEC 2), sent when set.
 */
public record Attempt(String operation, Duration duration, boolean success, String environment,
        Double timeoutSeconds, String failureType, String service, String instance, Instant occurredAt, String id,
        Integer policyVersion) {

    /** As before {@code policyVersion} existed. */
    public Attempt(String operation, Duration duration, boolean success, String environment, Double timeoutSeconds,
            String failureType, String service, String instance, Instant occurredAt, String id) {
        this(operation, duration, success, environment, timeoutSeconds, failureType, service, instance, occurredAt, id,
                null);
    }

    public static Attempt of(String operation, Duration duration, boolean success) {
        return new Attempt(operation, duration, success, null, null, null, null, null, null, null, null);
    }

    public Attempt inEnvironment(String name) {
        return new Attempt(operation, duration, success, name, timeoutSeconds, failureType, service, instance,
                occurredAt, id, policyVersion);
    }

    public Attempt withTimeout(Double seconds) {
        return new Attempt(operation, duration, success, environment, seconds, failureType, service, instance,
                occurredAt, id, policyVersion);
    }

    public Attempt withFailureType(String type) {
        return new Attempt(operation, duration, success, environment, timeoutSeconds, type, service, instance,
                occurredAt, id, policyVersion);
    }

    public Attempt withService(String name) {
        return new Attempt(operation, duration, success, environment, timeoutSeconds, failureType, name, instance,
                occurredAt, id, policyVersion);
    }

    public Attempt withId(String value) {
        return new Attempt(operation, duration, success, environment, timeoutSeconds, failureType, service, instance,
                occurredAt, value, policyVersion);
    }

    public Attempt withPolicyVersion(Integer version) {
        return new Attempt(operation, duration, success, environment, timeoutSeconds, failureType, service, instance,
                occurredAt, id, version);
    }

    public Attempt at(Instant when) {
        return new Attempt(operation, duration, success, environment, timeoutSeconds, failureType, service, instance,
                when, id, policyVersion);
    }
}
