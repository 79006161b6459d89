package io.timeoutpolicy.client;

import java.net.InetAddress;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Turns an {@link Attempt} into the body of POST /attempts (SPEC 2), checked as the service checks it. */
final class Attempts {

    static final double MAX_SECONDS = 86_400.0; // the service's bound on durations and timeouts
    static final int MAX_TEXT = 128; // the service's bound on free-form attempt fields

    private final String service;
    private final String instance;

    Attempts(String service, String instance) {
        this.service = service;
        this.instance = instance;
    }

    String service() {
        return service;
    }

    String instance() {
        return instance;
    }

    Map<String, Object> body(Attempt attempt, String environment) {
        return body(attempt, environment, null);
    }

    /** With {@code appliedVersion}, the version the client applied, sent when the attempt names none. */
    Map<String, Object> body(Attempt attempt, String environment, Integer appliedVersion) {
        if (!Timeouts.OPERATIONS.contains(attempt.operation())) {
            throw new IllegalArgumentException("unknown operation '" + attempt.operation() + "'; known: "
                    + Timeouts.OPERATIONS);
        }
        if (environment == null) {
            throw new IllegalArgumentException("no environment: give one or call startupConfig first");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", attempt.id() != null ? attempt.id() : UUID.randomUUID().toString());
        body.put("environment", TimeoutPolicyClient.environment(environment));
        body.put("operation", attempt.operation());
        body.put("duration_seconds", seconds("duration", attempt.duration().toNanos() / 1e9, true));
        body.put("success", attempt.success());
        Instant at = attempt.occurredAt() != null ? attempt.occurredAt() : Instant.now();
        body.put("occurred_at", at.truncatedTo(ChronoUnit.MILLIS).toString());
        if (attempt.timeoutSeconds() != null) {
            body.put("timeout_seconds", seconds("timeout_seconds", attempt.timeoutSeconds(), false));
        }
        Integer version = attempt.policyVersion() != null ? attempt.policyVersion() : appliedVersion;
        if (version != null && version >= 1) {
            body.put("policy_version", version);
        }
        putText(body, "failure_type", attempt.failureType());
        putText(body, "service", attempt.service() != null ? attempt.service() : service);
        putText(body, "instance", attempt.instance() != null ? attempt.instance() : instance);
        return body;
    }

    /** SPEC 9.1: the host name and the process id, {@code <hostname>:<pid>} (as the Python client). */
    static String hostAndPid() {
        String host = hostname();
        String instance = (host == null ? "unknown" : host) + ":" + ProcessHandle.current().pid();
        return instance.substring(0, Math.min(MAX_TEXT, instance.length()));
    }

    static String hostname() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            return name.isEmpty() ? null : name.substring(0, Math.min(MAX_TEXT, name.length()));
        } catch (Exception e) {
            return null;
        }
    }

    private static double seconds(String field, double value, boolean allowZero) {
        if (!Double.isFinite(value) || value < 0 || (value == 0 && !allowZero) || value > MAX_SECONDS) {
            throw new IllegalArgumentException(field + " must be " + (allowZero ? "≥" : ">") + " 0 and at most "
                    + (long) MAX_SECONDS + " seconds, got " + value);
        }
        return value;
    }

    private static void putText(Map<String, Object> body, String key, String value) {
        if (value != null && !value.isEmpty()) {
            body.put(key, value.substring(0, Math.min(MAX_TEXT, value.length())));
        }
    }
}
