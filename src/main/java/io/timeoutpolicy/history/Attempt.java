package io.timeoutpolicy.history;

import io.timeoutpolicy.policy.Operation;
import java.time.Instant;
import java.util.UUID;

/**
 * One database operation observed by a client (SPEC 2), as recorded: the timeout in force and whether
 * it was violated are decided once, here, and never recomputed. {@code policyVersion} is the policy version the
 * client had applied (SPEC 10.2), or null when it did not say.
 */
public record Attempt(UUID id, String environment, Operation operation, double durationSeconds, boolean success,
        double timeoutSeconds, boolean violation, String failureType, String service, String instance,
        Instant occurredAt, Integer policyVersion) {

    /** A timeout violation: strictly longer than the timeout in force (SPEC 2). */
    public static boolean violates(double durationSeconds, double timeoutSeconds) {
        return durationSeconds > timeoutSeconds;
    }
}
