package io.timeoutpolicy.bypass;

import io.timeoutpolicy.analysis.FailureAnalysis;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A stored decision (SPEC 5): the full input, the analysis used, the policy version, the rule and why. */
@Schema(description = "A bypass decision as stored in the audit log.",
        example = "{\"id\": \"0b7e6a52-3f7e-4c55-9d0e-5c1b7e3f4a21\", \"environment\": \"staging\", \"bypass\": true,"
                + " \"rule\": \"basic\", \"reason\": \"2 critical failure(s) within the limit of 2: there is no"
                + " connection history, so basic logic applies\", \"degraded\": false, \"critical_failures\": 2,"
                + " \"manual_override\": false, \"failure_types\": [\"database_timeout\"], \"service\": \"orders-api\","
                + " \"deployment\": \"orders-api-2026-11-22.3\", \"requested_by\": \"release-pipeline\","
                + " \"requested_by_key\": \"release-bot\", \"analysis\": null, \"policy_version\": 1,"
                + " \"decided_at\": \"2026-11-22T10:15:30.123Z\"}")
public record BypassDecision(UUID id, String environment, boolean bypass, String rule, String reason,
        boolean degraded, int criticalFailures, boolean manualOverride, List<String> failureTypes,
        @Schema(nullable = true, description = "The service deployed; null if the request named none.")
        String service,
        @Schema(nullable = true, description = "The deployment; null if the request named none.")
        String deployment,
        @Schema(nullable = true, description = "Who asked, as the request said; null if it did not say.")
        String requestedBy,
        @Schema(nullable = true, description = "The name of the API key that asked; null if none was sent.")
        String requestedByKey,
        @Schema(nullable = true, description = "The failure analysis (docs/design.md §4.4) the decision used; null when unavailable.")
        FailureAnalysis analysis,
        int policyVersion, Instant decidedAt) {
}
