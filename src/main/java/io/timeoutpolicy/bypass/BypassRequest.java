package io.timeoutpolicy.bypass;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of POST /bypass-decisions (SPEC 4.5). */
@Schema(name = "BypassRequest", description = "May this deployment proceed although start-up validation failed?",
        example = "{\"environment\": \"staging\", \"critical_failures\": 2, \"manual_override\": false,"
                + " \"failure_types\": [\"database_timeout\"], \"service\": \"orders-api\", \"deployment\":"
                + " \"orders-api-2026-11-22.3\", \"requested_by\": \"release-pipeline\"}")
public record BypassRequest(
        @Schema(description = "Environment name, case-insensitive.", example = "staging") String environment,
        @Schema(description = "Critical failures found by start-up validation (≥ 0).", example = "2")
        Integer criticalFailures,
        @Schema(description = "Bypass whatever the failures; default false.", example = "false")
        Boolean manualOverride,
        @Schema(description = "Kinds of the failures, matched case-insensitively.", example = "[\"database_timeout\"]")
        List<String> failureTypes,
        @Schema(description = "Free-form: the service deployed.", example = "orders-api") String service,
        @Schema(description = "Free-form: the deployment.", example = "orders-api-2026-11-22.3") String deployment,
        @Schema(description = "Free-form: who asks.", example = "release-pipeline") String requestedBy) {
}
