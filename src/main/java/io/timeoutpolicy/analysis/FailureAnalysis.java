package io.timeoutpolicy.analysis;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** SPEC 4.4: what the connection history says about an environment's failures. */
@Schema(description = "Failure analysis of an environment's connection attempts (docs/design.md §4.4).",
        example = "{\"environment\": \"staging\", \"has_data\": true, \"connection_attempts\": 40,"
                + " \"success_rate\": 85.0, \"timeout_violation_rate\": 5.0, \"recent_performance_trend\": \"stable\","
                + " \"failure_type\": \"intermittent_failure\", \"severity\": \"medium\", \"bypass_recommendation\":"
                + " \"conditional\", \"confidence\": \"high\", \"reason\": \"Success rate 85.0% is below 90%:"
                + " intermittent connection failures\"}")
public record FailureAnalysis(String environment, boolean hasData, long connectionAttempts, double successRate,
        double timeoutViolationRate, String recentPerformanceTrend, String failureType, String severity,
        String bypassRecommendation, String confidence, String reason) {

    public static final String CONSERVATIVE = "conservative";
    public static final String STRICT = "strict";
    public static final String PERMISSIVE = "permissive";
    public static final String CONDITIONAL = "conditional";
}
