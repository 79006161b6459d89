package io.timeoutpolicy.analysis;

import io.timeoutpolicy.history.WindowStats;
import java.math.BigDecimal;
import java.math.RoundingMode;

/** SPEC 4.4 as pure code: trend, then the first matching classification. */
public final class FailureAnalyzer {

    static final int RECENT = 5;
    static final double DEGRADING = 1.2;
    static final double IMPROVING = 0.8;
    static final double CONNECTION_FAILURE_RATE = 80;
    static final double INTERMITTENT_FAILURE_RATE = 90;
    static final double TIMEOUT_FAILURE_VIOLATIONS = 25;
    static final double PERFORMANCE_DEGRADATION_VIOLATIONS = 15;
    static final String CLOUD_SQL_SUFFIX = " (Cloud SQL infrastructure considerations)";

    private FailureAnalyzer() {
    }

    public static FailureAnalysis analyze(String environment, boolean cloudSql, WindowStats connection) {
        if (connection.isEmpty()) {
            return new FailureAnalysis(environment, false, 0, 0.0, 0.0, "unknown", "unknown", "unknown",
                    FailureAnalysis.CONSERVATIVE, "low", "No historical data available");
        }
        double sr = connection.successRate();
        double vr = connection.violationRate();
        double recent = connection.recentAverage(RECENT);
        double overall = connection.average();
        String trend = recent > DEGRADING * overall ? "degrading" : recent < IMPROVING * overall ? "improving" : "stable";
        String confidence = "degrading".equals(trend) ? "medium" : "high";
        String rate = towards(sr, RoundingMode.DOWN) + "%";
        String violations = towards(vr, RoundingMode.UP) + "%";
        String cloud = cloudSql ? CLOUD_SQL_SUFFIX : "";
        if (sr < CONNECTION_FAILURE_RATE) {
            return result(environment, connection, trend, confidence, "connection_failure", "critical",
                    FailureAnalysis.CONDITIONAL, "Success rate " + rate + " is below 80%: connections are failing");
        }
        if (sr < INTERMITTENT_FAILURE_RATE) {
            return result(environment, connection, trend, confidence, "intermittent_failure", "medium",
                    FailureAnalysis.CONDITIONAL,
                    "Success rate " + rate + " is below 90%: intermittent connection failures");
        }
        if (vr > TIMEOUT_FAILURE_VIOLATIONS) {
            return result(environment, connection, trend, confidence, "timeout_failure", "medium",
                    FailureAnalysis.PERMISSIVE, "Timeout violation rate " + violations
                            + " is above 25%: timeouts are too short for this database" + cloud);
        }
        if (vr > PERFORMANCE_DEGRADATION_VIOLATIONS) {
            return result(environment, connection, trend, confidence, "performance_degradation", "low",
                    FailureAnalysis.PERMISSIVE, "Timeout violation rate " + violations
                            + " is above 15%: the database is slower than usual" + cloud);
        }
        return result(environment, connection, trend, confidence, "none", "low", FailureAnalysis.STRICT,
                "Success rate " + towards(sr, RoundingMode.HALF_UP) + "% and timeout violation rate "
                        + towards(vr, RoundingMode.HALF_UP) + "%"
                        + " are healthy: failures are not explained by the database");
    }

    /**
     * A rate for a reason, two decimals rounded away from the threshold it is compared with, so that
     * 79.999 % never reads "80% is below 80%".
     */
    private static String towards(double percent, RoundingMode mode) {
        return BigDecimal.valueOf(percent).setScale(2, mode).stripTrailingZeros().toPlainString();
    }

    private static FailureAnalysis result(String environment, WindowStats s, String trend, String confidence,
            String failureType, String severity, String recommendation, String reason) {
        return new FailureAnalysis(environment, true, s.count(), s.successRate(), s.violationRate(), trend,
                failureType, severity, recommendation, confidence, reason);
    }
}
