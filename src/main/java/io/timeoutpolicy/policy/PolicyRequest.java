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
        + " base_timeouts (other groups default, SPEC 3.1); replacing needs the complete document.",
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

    @Schema(name = "BaseTimeoutsUpdate", description = "Base timeouts in seconds.")
    public record BaseTimeouts(Double initializationTimeout, Double tableSetupTimeout, Double connectionTimeout,
            Double poolTimeout, Double healthCheckTimeout) {
    }

    @Schema(name = "RetryUpdate", description = "Retry advice.")
    public record Retry(Integer maxRetries, Double baseDelay, Double maxDelay, Double exponentialBase,
            Boolean jitter) {
    }

    @Schema(name = "PoolUpdate", description = "Pool advice.")
    public record Pool(Integer poolSize, Integer maxOverflow, Double poolTimeout, Integer poolRecycle,
            Boolean poolPrePing) {
    }

    @Schema(name = "VpcConnectorUpdate", description = "VPC connector buffers.")
    public record VpcConnector(Boolean capacityAwareTimeouts, Double scalingBufferTimeout,
            Double capacityBufferRatio) {
    }

    @Schema(name = "AdaptiveUpdate", description = "Adaptive settings; windows are ISO-8601 durations.")
    public record Adaptive(String strategy, Integer minSamples, Integer minSamplesLocal,
            Double insufficientDataFactor, String historyWindow, Percentile percentile) {
    }

    @Schema(name = "PercentileUpdate", description = "Percentile strategy settings.")
    public record Percentile(Double targetFalseTimeoutRate, Double headroom, Double floor, Double ceiling,
            Integer minSamples) {
    }

    @Schema(name = "BypassUpdate", description = "Bypass thresholds.")
    public record Bypass(Integer permissiveMaxFailures, Integer conditionalMaxFailures, Integer basicMaxFailures,
            Integer infrastructureMaxFailures, List<String> infrastructureFailureTypes) {
    }

    @Schema(name = "CircuitUpdate", description = "Fleet circuit thresholds.")
    public record Circuit(Integer failureThreshold, Double resetTimeout) {
    }

    @Schema(name = "AlertsUpdate", description = "Alert cooldown, an ISO-8601 duration.")
    public record Alerts(String cooldown) {
    }

    @Schema(name = "AssessmentUpdate", description = "Assessment baselines in seconds.")
    public record Assessment(Double expectedAvg, Double warning, Double critical) {
    }
}
