package io.timeoutpolicy.timeouts;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The shapes of the answers' maps keyed by timeout key, for the OpenAPI document only: the answers themselves
 * are maps (in operation order), but the keys are fixed by SPEC 2, so the document names them. A generated
 * client then has typed fields, and a renamed key breaks the clients' contract tests. Every key is optional:
 * {@code ?operation=} restricts an answer to one.
 */
final class TimeoutKeys {

    private TimeoutKeys() {
    }

    @Schema(name = "TimeoutValues", description = "Seconds, by timeout key.",
            example = "{\"initialization_timeout\": 114.0, \"table_setup_timeout\": 42.0, \"connection_timeout\": 90.0,"
                    + " \"pool_timeout\": 72.0, \"health_check_timeout\": 36.0}")
    record Values(Double initializationTimeout, Double tableSetupTimeout, Double connectionTimeout,
            Double poolTimeout, Double healthCheckTimeout) {
    }

    @Schema(name = "Explanations", description = "How each timeout was computed, by timeout key.")
    record Explanations(Explanation initializationTimeout, Explanation tableSetupTimeout,
            Explanation connectionTimeout, Explanation poolTimeout, Explanation healthCheckTimeout) {
    }
}
