package io.timeoutpolicy.client;

import java.util.List;

/** A stored bypass decision (SPEC 4.5, 5): {@code bypass} is the answer, {@code rule} the rule that decided. */
public record Decision(String id, String environment, boolean bypass, String rule, String reason, boolean degraded,
        int criticalFailures, boolean manualOverride, List<String> failureTypes, String service, String deployment,
        int policyVersion, String decidedAt) {
}
