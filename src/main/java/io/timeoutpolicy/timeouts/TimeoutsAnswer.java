package io.timeoutpolicy.timeouts;

import io.timeoutpolicy.policy.Strategy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer of GET …/timeouts (SPEC 5). Maps are keyed by timeout key, in operation order. */
@Schema(description = "Effective timeouts of an environment, with the base values and how each was computed.",
        example = "{\"environment\": \"staging\", \"policy_version\": 1, \"strategy\": \"heuristic\", \"adaptive\": true,"
                + " \"degraded\": false, \"samples\": 0, \"timeouts\": {\"connection_timeout\": 90.0},"
                + " \"base_timeouts\": {\"connection_timeout\": 75.0}, \"explanations\": {\"connection_timeout\":"
                + " {\"branch\": \"insufficient_data\", \"base\": 75.0, \"multiplier\": 1.2, \"scaling_buffer\": 0.0,"
                + " \"capacity_buffer\": 0.0, \"pressure_factor\": 1.0, \"samples\": 0, \"text\":"
                + " \"connection_timeout: base 75.0s × 1.2 (insufficient data: 0 of 5 samples) = 90.0s\"}},"
                + " \"pressure\": [], \"computed_at\": \"2026-11-22T10:15:30Z\"}")
public record TimeoutsAnswer(
        String environment,
        int policyVersion,
        Strategy strategy,
        @Schema(description = "Whether the timeouts adapt to history (always for Cloud SQL).") boolean adaptive,
        @Schema(description = "True while answering from memory because the database is unavailable.") boolean degraded,
        @Schema(description = "Connection attempts in the history window.") long samples,
        // Effective timeouts and the policy's base timeouts (a description here would inline the schema).
        @Schema(implementation = TimeoutKeys.Values.class) Map<String, Double> timeouts,
        @Schema(implementation = TimeoutKeys.Values.class) Map<String, Double> baseTimeouts,
        @Schema(implementation = TimeoutKeys.Explanations.class) Map<String, Explanation> explanations,
        @Schema(description = "Pressure indicators applied.") List<String> pressure,
        Instant computedAt) {
}
