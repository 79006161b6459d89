package io.timeoutpolicy.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Every number that belongs to one environment (SPEC 3.1), exactly as the API shows it. A policy is
 * immutable; a change is a new version.
 */
@Schema(name = "PolicyDocument", description = "The complete policy of one environment (docs/design.md §3.1).",
        example = PolicyExamples.DOCUMENT)
public record EnvironmentPolicy(
        @Schema(description = "Lower-case environment name.", example = "staging") String environment,
        @Schema(description = "Version of this policy; every change is a new version.", example = "1") int version,
        @Schema(description = "Turns on the conservative Cloud SQL rules.", example = "true") boolean cloudSql,
        BaseTimeouts baseTimeouts,
        Retry retry,
        Pool pool,
        VpcConnector vpcConnector,
        @Schema(description = "Pressure indicator name → timeout key → multiplier.",
                example = "{\"vpc_connector_scaling\": {\"connection_timeout\": 1.5}}")
        Map<String, Map<String, Double>> pressureMultipliers,
        Adaptive adaptive,
        Bypass bypass,
        Circuit circuit,
        Alerts alerts,
        @Schema(nullable = true, description = "Baselines of the assessment; null for non-Cloud SQL environments.")
        Assessment assessment,
        @Schema(description = "When this version was written.", example = "2026-11-22T10:15:30Z") Instant updatedAt,
        @Schema(description = "Name of the API key that wrote this version, or system.", example = "system")
        String updatedBy) {

    /** This policy as a new version written by someone else at another time. */
    public EnvironmentPolicy asVersion(int newVersion, Instant at, String by) {
        return new EnvironmentPolicy(environment, newVersion, cloudSql, baseTimeouts, retry, pool, vpcConnector,
                pressureMultipliers, adaptive, bypass, circuit, alerts, assessment, at, by);
    }

    /** This policy with other base timeouts (a recommendation's candidate, SPEC 10.1). */
    public EnvironmentPolicy withBaseTimeouts(BaseTimeouts bases) {
        return new EnvironmentPolicy(environment, version, cloudSql, bases, retry, pool, vpcConnector,
                pressureMultipliers, adaptive, bypass, circuit, alerts, assessment, updatedAt, updatedBy);
    }

    @Schema(description = "Base timeouts in seconds, one per operation.",
            example = "{\"initialization_timeout\": 95.0, \"table_setup_timeout\": 35.0, \"connection_timeout\": 75.0,"
                    + " \"pool_timeout\": 60.0, \"health_check_timeout\": 30.0}")
    public record BaseTimeouts(double initializationTimeout, double tableSetupTimeout, double connectionTimeout,
            double poolTimeout, double healthCheckTimeout) {

        /** The five bases in {@link Operation} order, as a function of the operation. */
        public static BaseTimeouts from(ToDoubleFunction<Operation> base) {
            return new BaseTimeouts(base.applyAsDouble(Operation.INITIALIZATION),
                    base.applyAsDouble(Operation.TABLE_SETUP), base.applyAsDouble(Operation.CONNECTION),
                    base.applyAsDouble(Operation.POOL), base.applyAsDouble(Operation.HEALTH_CHECK));
        }

        public double of(Operation operation) {
            return switch (operation) {
                case INITIALIZATION -> initializationTimeout;
                case TABLE_SETUP -> tableSetupTimeout;
                case CONNECTION -> connectionTimeout;
                case POOL -> poolTimeout;
                case HEALTH_CHECK -> healthCheckTimeout;
            };
        }
    }

    @Schema(description = "Retry advice for clients: exponential back-off with optional jitter.",
            example = "{\"max_retries\": 5, \"base_delay\": 2.0, \"max_delay\": 30.0, \"exponential_base\": 2.0, \"jitter\": true}")
    public record Retry(int maxRetries, double baseDelay, double maxDelay, double exponentialBase, boolean jitter) {
    }

    @Schema(description = "Connection-pool advice for clients.",
            example = "{\"pool_size\": 10, \"max_overflow\": 15, \"pool_timeout\": 120.0, \"pool_recycle\": 1800, \"pool_pre_ping\": true}")
    public record Pool(int poolSize, int maxOverflow, double poolTimeout, int poolRecycle, boolean poolPrePing) {
    }

    @Schema(description = "Extra time for a VPC connector that is scaling (docs/design.md §4.2 step 3).",
            example = "{\"capacity_aware_timeouts\": true, \"scaling_buffer_timeout\": 20.0, \"capacity_buffer_ratio\": 0.2}")
    public record VpcConnector(boolean capacityAwareTimeouts, double scalingBufferTimeout, double capacityBufferRatio) {
    }

    @Schema(description = "How timeouts adapt to the recorded history.",
            example = "{\"strategy\": \"heuristic\", \"min_samples\": 5, \"min_samples_local\": 10,"
                    + " \"insufficient_data_factor\": 1.2, \"history_window\": \"PT24H\", \"percentile\": {"
                    + "\"target_false_timeout_rate\": 0.001, \"headroom\": 0.2, \"floor\": 0.5, \"ceiling\": 3.0, \"min_samples\": 50}}")
    public record Adaptive(Strategy strategy, int minSamples, int minSamplesLocal, double insufficientDataFactor,
            @Schema(implementation = String.class, example = "PT24H") Duration historyWindow,
            Percentile percentile) {
    }

    @Schema(description = "Settings of the percentile strategy (docs/design.md §4.3).",
            example = "{\"target_false_timeout_rate\": 0.001, \"headroom\": 0.2, \"floor\": 0.5, \"ceiling\": 3.0, \"min_samples\": 50}")
    public record Percentile(double targetFalseTimeoutRate, double headroom, double floor, double ceiling,
            int minSamples) {
    }

    @Schema(description = "The largest numbers of critical failures a bypass still allows (docs/design.md §4.5).",
            example = "{\"permissive_max_failures\": 5, \"conditional_max_failures\": 3, \"basic_max_failures\": 2,"
                    + " \"infrastructure_max_failures\": 3, \"infrastructure_failure_types\":"
                    + " [\"database_timeout\", \"vpc_connector\", \"cloud_sql_capacity\"]}")
    public record Bypass(int permissiveMaxFailures, int conditionalMaxFailures, int basicMaxFailures,
            int infrastructureMaxFailures, List<String> infrastructureFailureTypes) {
    }

    @Schema(description = "Fleet circuit thresholds (docs/design.md §4.6), named as in Resilience4j.",
            example = "{\"failure_threshold\": 5, \"reset_timeout\": 60.0}")
    public record Circuit(int failureThreshold, double resetTimeout) {
    }

    @Schema(description = "Alert de-duplication (docs/design.md §4.7).", example = "{\"cooldown\": \"PT5M\"}")
    public record Alerts(@Schema(implementation = String.class, example = "PT5M") Duration cooldown) {
    }

    @Schema(name = "AssessmentBaselines", description = "Baselines of the Cloud SQL assessment (docs/design.md §4.7), seconds.",
            example = "{\"expected_avg\": 5.0, \"warning\": 12.0, \"critical\": 20.0}")
    public record Assessment(double expectedAvg, double warning, double critical) {
    }
}
