package io.timeoutpolicy.timeouts;

import io.timeoutpolicy.circuit.CircuitState;
import io.timeoutpolicy.policy.EnvironmentPolicy;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Everything a backend needs at start-up in one call (SPEC 5). */
@Schema(description = "Timeouts, retry and pool advice and the fleet circuit, for a backend starting up.",
        example = "{\"environment\": \"development\", \"policy_version\": 1, \"degraded\": false, \"timeouts\":"
                + " {\"environment\": \"development\", \"policy_version\": 1, \"strategy\": \"heuristic\","
                + " \"adaptive\": false, \"degraded\": false, \"samples\": 0,"
                + " \"timeouts\": {\"connection_timeout\": 20.0},"
                + " \"base_timeouts\": {\"connection_timeout\": 20.0}, \"explanations\": {\"connection_timeout\":"
                + " {\"branch\": \"static\", \"base\": 20.0, \"multiplier\": 1.0, \"scaling_buffer\": 0.0,"
                + " \"capacity_buffer\": 0.0, \"pressure_factor\": 1.0, \"samples\": 0, \"text\": \"connection_timeout:"
                + " base 20.0s (static: not a Cloud SQL environment and 0 of 10 samples needed to adapt)\"}},"
                + " \"pressure\": [],"
                + " \"computed_at\": \"2026-11-22T10:15:30Z\"},"
                + " \"retry\": {\"max_retries\": 3, \"base_delay\": 1.0, \"max_delay\": 10.0,"
                + " \"exponential_base\": 2.0, \"jitter\": true}, \"pool\": {\"pool_size\": 5, \"max_overflow\": 10,"
                + " \"pool_timeout\": 30.0,"
                + " \"pool_recycle\": 3600, \"pool_pre_ping\": true}, \"circuit\": {\"environment\": \"development\","
                + " \"state\": \"closed\", \"consecutive_failures\": 0, \"last_failure_at\": null,"
                + " \"retry_after_seconds\": null}}")
public record StartupConfigAnswer(String environment, int policyVersion, boolean degraded, TimeoutsAnswer timeouts,
        EnvironmentPolicy.Retry retry, EnvironmentPolicy.Pool pool, CircuitState circuit) {
}
