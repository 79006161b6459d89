package io.timeoutpolicy.analysis;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.timeoutpolicy.history.WindowStats;
import java.time.Duration;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** SPEC 4.1: the metrics of one environment and operation; exactly environment and status without data. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "Metrics of an environment's attempts of one operation in a window (docs/design.md §4.1).",
        example = "{\"environment\": \"staging\", \"operation\": \"connection\", \"window\": \"PT24H\","
                + " \"connection_attempts\": 120, \"successful_connections\": 118, \"failed_connections\": 2,"
                + " \"timeout_violations\": 1, \"success_rate\": 98.33333333333333, \"timeout_violation_rate\":"
                + " 0.8333333333333334, \"average_connection_time\": 4.2, \"recent_average_connection_time\": 3.9,"
                + " \"max_connection_time\": 31.0, \"min_connection_time\": 0.8, \"last_connection_time\": 3.1,"
                + " \"monitoring_duration_hours\": 23.5, \"p50\": 3.6, \"p90\": 7.9, \"p99\": 28.0, \"p999\": 31.0,"
                + " \"status\": \"healthy\"}")
public record Metrics(String environment, String operation, String service, String window, Long connectionAttempts,
        Long successfulConnections, Long failedConnections, Long timeoutViolations, Double successRate,
        Double timeoutViolationRate, Double averageConnectionTime, Double recentAverageConnectionTime,
        Double maxConnectionTime, Double minConnectionTime, Double lastConnectionTime,
        Double monitoringDurationHours, Double p50, Double p90, Double p99, Double p999, String status) {

    static final double HEALTHY_SUCCESS_RATE = 90;
    static final double HEALTHY_VIOLATION_RATE = 10;

    /** SPEC 4.1 from the window's attempts. */
    public static Metrics of(String environment, String operation, String service, Duration window, WindowStats s) {
        if (s.isEmpty()) {
            return new Metrics(environment, null, null, null, null, null, null, null, null, null, null, null, null,
                    null, null, null, null, null, null, null, "no_data");
        }
        double hours = Duration.between(s.oldest(), s.newest()).toNanos() / 3_600_000_000_000.0;
        boolean healthy = s.successRate() > HEALTHY_SUCCESS_RATE && s.violationRate() < HEALTHY_VIOLATION_RATE;
        return new Metrics(environment, operation, service, window.toString(), s.count(), s.successes(),
                s.count() - s.successes(), s.violations(), s.successRate(), s.violationRate(), s.average(),
                s.recentAverage(WindowStats.RECENT), s.max(), s.min(), s.last(), hours,
                s.quantiles().at(0.5), s.quantiles().at(0.9), s.quantiles().at(0.99), s.quantiles().at(0.999),
                healthy ? "healthy" : "degraded");
    }
}
