package io.timeoutpolicy.analysis;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.timeoutpolicy.history.WindowStats;
import io.timeoutpolicy.platform.Decimals;
import io.timeoutpolicy.policy.EnvironmentPolicy;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** SPEC 4.7: a Cloud SQL environment's connection times against its baselines, with what to do about them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "Assessment of a Cloud SQL environment (docs/design.md §4.7); only environment and status for"
        + " not_applicable and no_data.",
        example = "{\"environment\": \"staging\", \"status\": \"warning\", \"connection_attempts\": 40,"
                + " \"average_connection_time\": 13.5, \"recent_average_connection_time\": 14.0, \"expected_avg\": 5.0,"
                + " \"warning\": 12.0, \"critical\": 20.0, \"timeout_violation_rate\": 2.5, \"issues\": [\"Average"
                + " connection time 13.5s is above the warning baseline of 12.0s\"], \"recommendations\": [\"...\"]}")
public record Assessment(String environment, String status, Long connectionAttempts, Double averageConnectionTime,
        Double recentAverageConnectionTime, Double expectedAvg, Double warning, Double critical,
        Double timeoutViolationRate, List<String> issues, List<String> recommendations) {

    static final double DEGRADING_FACTOR = 1.5;
    static final double CRITICAL_VIOLATION_RATE = 10;

    public static Assessment of(EnvironmentPolicy policy, WindowStats connection) {
        if (!policy.cloudSql() || policy.assessment() == null) {
            return brief(policy.environment(), "not_applicable");
        }
        if (connection.isEmpty()) {
            return brief(policy.environment(), "no_data");
        }
        EnvironmentPolicy.Assessment baseline = policy.assessment();
        double avg = connection.average();
        double recent = connection.recentAverage(WindowStats.RECENT);
        double vr = connection.violationRate();
        List<String> issues = new ArrayList<>();
        List<String> recommendations = new ArrayList<>();
        String status = "healthy";
        if (avg > baseline.critical()) {
            status = "critical";
            issues.add("Average connection time " + s(avg) + " is above the critical baseline of " + s(baseline.critical()));
            recommendations.add("Check the Cloud SQL instance (CPU, connections, storage) and the VPC connector's"
                    + " capacity; consider a larger tier or more connector instances");
        } else if (avg > baseline.warning()) {
            status = "warning";
            issues.add("Average connection time " + s(avg) + " is above the warning baseline of " + s(baseline.warning()));
            recommendations.add("Watch the instance's load and connection count; expected is about "
                    + s(baseline.expectedAvg()));
        }
        if ("healthy".equals(status) && recent > DEGRADING_FACTOR * avg) {
            status = "degrading";
            issues.add("Recent average " + s(recent) + " is more than 1.5 × the average of " + s(avg));
            recommendations.add("Look at what changed recently (deploys, traffic, connector scaling) before it"
                    + " reaches the warning baseline");
        }
        if (vr > CRITICAL_VIOLATION_RATE) {
            status = "critical";
            issues.add("Timeout violation rate " + Decimals.oneDecimal(vr) + "% is above 10%");
            recommendations.add("Raise the timeouts (see GET …/timeouts, which adapts to this) or find what makes"
                    + " connections slow");
        }
        return new Assessment(policy.environment(), status, connection.count(), avg, recent, baseline.expectedAvg(),
                baseline.warning(), baseline.critical(), vr, issues, recommendations);
    }

    private static Assessment brief(String environment, String status) {
        return new Assessment(environment, status, null, null, null, null, null, null, null, null, null);
    }

    private static String s(double seconds) {
        return Decimals.oneDecimal(seconds) + "s";
    }
}
