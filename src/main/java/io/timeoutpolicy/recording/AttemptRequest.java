package io.timeoutpolicy.recording;

import io.timeoutpolicy.history.Attempt;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One attempt as a client reports it (SPEC 5); every field is checked by {@link AttemptIntake}. */
@Schema(name = "Attempt", description = "One database operation observed by a client.",
        example = "{\"id\": \"5b3f2c9e-8a51-4c1e-9a55-1f0a3f6f8d21\", \"environment\": \"staging\","
                + " \"operation\": \"connection\", \"duration_seconds\": 3.2, \"success\": true,"
                + " \"timeout_seconds\": 90.0, \"service\": \"orders-api\", \"instance\": \"orders-api-7d9f\","
                + " \"occurred_at\": \"2026-11-22T10:15:30Z\"}")
public record AttemptRequest(
        @Schema(description = "Optional UUID; a retried attempt with the same id is counted once.") String id,
        @Schema(description = "Environment name, case-insensitive.", example = "staging") String environment,
        @Schema(description = "initialization, table_setup, connection, pool or health_check.",
                example = "connection") String operation,
        @Schema(description = "How long the operation took, seconds (finite, ≥ 0).", example = "3.2")
        Double durationSeconds,
        @Schema(description = "Whether it succeeded.", example = "true") Boolean success,
        @Schema(description = "The timeout in force, seconds; default: the policy's base timeout.", example = "90.0")
        Double timeoutSeconds,
        @Schema(description = "What kind of failure, for failed attempts.", example = "database_timeout")
        String failureType,
        @Schema(description = "The reporting service.", example = "orders-api") String service,
        @Schema(description = "The reporting instance.", example = "orders-api-7d9f") String instance,
        @Schema(description = "When it happened (ISO-8601); default now; at most 5 minutes ahead.",
                example = "2026-11-22T10:15:30Z") String occurredAt,
        @Schema(description = "The policy version the client applied (it tells shadow and canary versions apart), an integer ≥ 1.", example = "3")
        Long policyVersion) {
}
