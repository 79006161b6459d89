package io.timeoutpolicy.policy;

import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of a PUT on a policy: the document of SPEC 3.1 where every field may be absent, so that
 * a new environment can leave groups out and a replacement can be checked for completeness. The
 * read-only fields are accepted (a client may send back what it read) and ignored.
 */
@Schema(name = "PolicyUpdate", description = "A policy to create or replace. Creating needs cloud_sql and all five"
        + " base_timeouts (other groups default, docs/design.md §3.1); replacing needs the complete document.",
        example = PolicyExamples.NEW_ENVIRONMENT)
public record PolicyRequest(
        @Schema(description = "Read-only; must match the path when present.", readOnly = true) String environment,
        @Schema(description = "Read-only; ignored (the If-Match header carries the version).", readOnly = true)
        Integer version,
        Boolean cloudSql,
        BaseTimeouts baseTimeouts,
        Retry retry,
        Pool pool,
        VpcConnector vpcConnector,
        Map<String, Map<String, Double>> pressureMultipliers,
        Adaptive adaptive,
        Bypass bypass,
        Circuit circuit,
        Alerts alerts,
        Assessment assessment,
        @Schema(description = "Read-only; ignored.", readOnly = true) String updatedAt,
        @Schema(description = "Read-only; ignored.", readOnly = true) String updatedBy) {

    @Schema(name = "BaseTimeoutsUpdate", description = "Base timeouts in seconds.",
            example = "{\"initialization_timeout\": 25.0, \"table_setup_timeout\": 12.0, \"connection_timeout\": 15.0, \"pool_timeout\": 25.0, \"health_check_timeout\": 8.0}")
    public record BaseTimeouts(Double initializationTimeout, Double tableSetupTimeout, Double connectionTimeout,
            Double poolTimeout, Double healthCheckTimeout) {
    }

    @Schema(name = "RetryUpdate", description = "Retry advice.",
            example = "{\"max_retries\": 3, \"base_delay\": 1.0, \"max_delay\": 10.0, \"exponential_base\": 2.0, \"jitter\": true}")
    public record Retry(Integer maxRetries, Double baseDelay, Double maxDelay, Double exponentialBase,
            Boolean jitter) {
    }

    @Schema(name = "PoolUpdate", description = "Pool advice.",
            example = "{\"pool_size\": 5, \"max_overflow\": 10, \"pool_timeout\": 30.0, \"pool_recycle\": 3600, \"pool_pre_ping\": true}")
    public record Pool(Integer poolSize, Integer maxOverflow, Double poolTimeout, Integer poolRecycle,
            Boolean poolPrePing) {
    }

    @Schema(name = "VpcConnectorUpdate", description = "VPC connector buffers.",
            example = "{\"capacity_aware_timeouts\": false, \"scaling_buffer_timeout\": 20.0, \"capacity_buffer_ratio\": 0.2}")
    public record VpcConnector(Boolean capacityAwareTimeouts, Double scalingBufferTimeout,
            Double capacityBufferRatio) {
    }

    @Schema(name = "AdaptiveUpdate", description = "Adaptive settings; windows are ISO-8601 durations.",
            example = "{\"strategy\": \"percentile\", \"min_samples\": 5, \"min_samples_local\": 10, \"insufficient_data_factor\": 1.1, \"history_window\": \"PT12H\", \"percentile\": {\"target_false_timeout_rate\": 0.001, \"headroom\": 0.2, \"floor\": 0.5, \"ceiling\": 3.0, \"min_samples\": 50}}")
    public record Adaptive(String strategy, Integer minSamples, Integer minSamplesLocal,
            Double insufficientDataFactor, String historyWindow, Percentile percentile) {
    }

    @Schema(name = "PercentileUpdate", description = "Percentile strategy settings.",
            example = "{\"target_false_timeout_rate\": 0.001, \"headroom\": 0.2, \"floor\": 0.5, \"ceiling\": 3.0, \"min_samples\": 50}")
    public record Percentile(Double targetFalseTimeoutRate, Double headroom, Double floor, Double ceiling,
            Integer minSamples) {
    }

    @Schema(name = "BypassUpdate", description = "Bypass thresholds.",
            example = "{\"permissive_max_failures\": 5, \"conditional_max_failures\": 2, \"basic_max_failures\": 0, \"infrastructure_max_failures\": 0, \"infrastructure_failure_types\": [\"database_timeout\", \"vpc_connector\", \"cloud_sql_capacity\"]}")
    public record Bypass(Integer permissiveMaxFailures, Integer conditionalMaxFailures, Integer basicMaxFailures,
            Integer infrastructureMaxFailures, List<String> infrastructureFailureTypes) {
    }

    @Schema(name = "CircuitUpdate", description = "Fleet circuit thresholds.",
            example = "{\"failure_threshold\": 5, \"reset_timeout\": 60.0}")
    public record Circuit(Integer failureThreshold, Double resetTimeout) {
    }

    @Schema(name = "AlertsUpdate", description = "Alert cooldown, an ISO-8601 duration.",
            example = "{\"cooldown\": \"PT5M\"}")
    public record Alerts(String cooldown) {
    }

    @Schema(name = "AssessmentBaselinesUpdate", description = "Assessment baselines in seconds.",
            example = "{\"expected_avg\": 5.0, \"warning\": 12.0, \"critical\": 20.0}")
    public record Assessment(Double expectedAvg, Double warning, Double critical) {
    }
}
