package io.timeoutpolicy.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.timeoutpolicy.history.WindowStats;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** SPEC 4.4: every threshold just below, at and just above, the trend of the recent 5, and the no-data answer. */
class FailureAnalyzerTests {

    private static final String CLOUD_SQL_SUFFIX = "(Cloud SQL infrastructure considerations)";
    private static final long ATTEMPTS = 10_000;

    @Test
    void without_attempts_the_answer_is_exactly_the_no_data_one() {
        FailureAnalysis analysis = FailureAnalyzer.analyze("staging", true, WindowStats.EMPTY);

        assertThat(analysis).isEqualTo(new FailureAnalysis("staging", false, 0, 0.0, 0.0, "unknown", "unknown",
                "unknown", "conservative", "low", "No historical data available"));
    }

    @ParameterizedTest(name = "{0} of 10000 successful: {1}")
    @CsvSource({
            "7999, connection_failure,   critical, conditional",
            "8000, intermittent_failure, medium,   conditional",
            "8001, intermittent_failure, medium,   conditional",
            "8999, intermittent_failure, medium,   conditional",
            "9000, none,                 low,      strict",
            "9001, none,                 low,      strict"})
    void success_rate_strictly_below_80_then_90_decides_first(long successes, String type, String severity,
            String recommendation) {
        FailureAnalysis analysis = analyze(false, stats(successes, 0));

        assertThat(analysis.failureType()).isEqualTo(type);
        assertThat(analysis.severity()).isEqualTo(severity);
        assertThat(analysis.bypassRecommendation()).isEqualTo(recommendation);
        assertThat(analysis.hasData()).isTrue();
        assertThat(analysis.connectionAttempts()).isEqualTo(ATTEMPTS);
        assertThat(analysis.successRate()).isEqualTo(successes / 100.0);
    }

    @Test
    void success_rate_just_below_80_is_a_connection_failure() {
        FailureAnalysis analysis = analyze(false, stats(7999, 0));

        assertThat(analysis.failureType()).isEqualTo("connection_failure");
        assertThat(analysis.severity()).isEqualTo("critical");
        assertThat(analysis.reason()).contains("below 80%");
    }

    @Test
    void a_low_success_rate_wins_over_a_high_violation_rate() {
        FailureAnalysis analysis = analyze(true, stats(7000, 9000));

        assertThat(analysis.failureType()).isEqualTo("connection_failure");
        assertThat(analysis.reason()).doesNotContain(CLOUD_SQL_SUFFIX);
    }

    @ParameterizedTest(name = "{0} of 10000 violations: {1}")
    @CsvSource({
            "1499, none,                    low,    strict",
            "1500, none,                    low,    strict",
            "1501, performance_degradation, low,    permissive",
            "2499, performance_degradation, low,    permissive",
            "2500, performance_degradation, low,    permissive",
            "2501, timeout_failure,         medium, permissive"})
    void violation_rate_strictly_above_25_then_15_decides_next(long violations, String type, String severity,
            String recommendation) {
        FailureAnalysis analysis = analyze(false, stats(ATTEMPTS, violations));

        assertThat(analysis.failureType()).isEqualTo(type);
        assertThat(analysis.severity()).isEqualTo(severity);
        assertThat(analysis.bypassRecommendation()).isEqualTo(recommendation);
        assertThat(analysis.timeoutViolationRate()).isEqualTo(violations / 100.0);
    }

    @ParameterizedTest(name = "{0} violations on cloud_sql: {1} keeps permissive with the suffix")
    @CsvSource({"2501, timeout_failure", "1501, performance_degradation"})
    void cloud_sql_timeout_failures_stay_permissive_and_say_so(long violations, String type) {
        FailureAnalysis analysis = analyze(true, stats(ATTEMPTS, violations));

        assertThat(analysis.failureType()).isEqualTo(type);
        assertThat(analysis.bypassRecommendation()).isEqualTo("permissive");
        assertThat(analysis.reason()).endsWith(" " + CLOUD_SQL_SUFFIX);
    }

    @ParameterizedTest(name = "{0} violations off cloud_sql: {1} without the suffix")
    @CsvSource({"2501, timeout_failure", "1501, performance_degradation"})
    void other_environments_get_no_cloud_sql_suffix(long violations, String type) {
        FailureAnalysis analysis = analyze(false, stats(ATTEMPTS, violations));

        assertThat(analysis.failureType()).isEqualTo(type);
        assertThat(analysis.reason()).doesNotContain(CLOUD_SQL_SUFFIX);
    }

    @ParameterizedTest(name = "cloud_sql {0} of 10000 successful, {1} violations: no suffix on {2}")
    @CsvSource({"7999, 0, connection_failure", "8999, 0, intermittent_failure", "10000, 0, none"})
    void the_cloud_sql_suffix_is_only_for_timeout_classifications(long successes, long violations, String type) {
        FailureAnalysis analysis = analyze(true, stats(successes, violations));

        assertThat(analysis.failureType()).isEqualTo(type);
        assertThat(analysis.reason()).doesNotContain(CLOUD_SQL_SUFFIX);
    }

    @ParameterizedTest(name = "recent 5 average {0}s against overall 10s: {1}, confidence {2}")
    @CsvSource({
            "12.01, degrading, medium",
            "12.0,  stable,    high",
            "11.99, stable,    high",
            "8.01,  stable,    high",
            "8.0,   stable,    high",
            "7.99,  improving, high"})
    void trend_compares_the_recent_5_with_1_2_and_0_8_times_the_overall_mean(double recent, String trend,
            String confidence) {
        FailureAnalysis analysis = analyze(false, stats(ATTEMPTS, 0, 10.0, recentEndingIn(recent)));

        assertThat(analysis.recentPerformanceTrend()).isEqualTo(trend);
        assertThat(analysis.confidence()).isEqualTo(confidence);
    }

    @Test
    void only_the_newest_five_durations_make_the_recent_mean() {
        // The older 15 of the recent 20 are slow, the newest 5 are fast: the trend is improving, not degrading.
        double[] recent = new double[20];
        Arrays.fill(recent, 0, 15, 100.0);
        Arrays.fill(recent, 15, 20, 5.0);

        assertThat(analyze(false, stats(ATTEMPTS, 0, 10.0, recent)).recentPerformanceTrend()).isEqualTo("improving");
    }

    @Test
    void fewer_than_five_attempts_use_all_of_them_as_recent() {
        WindowStats three = new WindowStats(3, 3, 0, 30.0, 5.0, 20.0, 20.0, Instant.EPOCH, Instant.EPOCH,
                new double[] {5.0, 5.0, 20.0}, q -> 0.0);

        FailureAnalysis analysis = analyze(false, three);

        assertThat(analysis.recentPerformanceTrend()).isEqualTo("stable");
        assertThat(analysis.connectionAttempts()).isEqualTo(3);
    }

    @Test
    void a_degrading_trend_lowers_confidence_whatever_the_classification() {
        FailureAnalysis analysis = analyze(true, stats(7000, 0, 10.0, recentEndingIn(30.0)));

        assertThat(analysis.failureType()).isEqualTo("connection_failure");
        assertThat(analysis.recentPerformanceTrend()).isEqualTo("degrading");
        assertThat(analysis.confidence()).isEqualTo("medium");
    }

    @Test
    void a_healthy_history_carries_every_field_of_the_answer() {
        FailureAnalysis analysis = FailureAnalyzer.analyze("production", true, stats(9950, 100));

        assertThat(analysis).isEqualTo(new FailureAnalysis("production", true, ATTEMPTS, 99.5, 1.0, "stable", "none",
                "low", "strict", "high", "Success rate 99.5% and timeout violation rate 1% are healthy: failures"
                        + " are not explained by the database"));
    }

    private static FailureAnalysis analyze(boolean cloudSql, WindowStats stats) {
        return FailureAnalyzer.analyze("staging", cloudSql, stats);
    }

    /** 10 000 attempts averaging 10 s, the recent 20 also at 10 s: a stable trend. */
    private static WindowStats stats(long successes, long violations) {
        double[] recent = new double[20];
        Arrays.fill(recent, 10.0);
        return stats(successes, violations, 10.0, recent);
    }

    private static WindowStats stats(long successes, long violations, double mean, double[] recent) {
        return new WindowStats(ATTEMPTS, successes, violations, mean * ATTEMPTS, 0.1, 100.0,
                recent[recent.length - 1], Instant.parse("2026-11-22T08:00:00Z"),
                Instant.parse("2026-11-22T10:00:00Z"), recent, q -> 10.0);
    }

    /** Twenty recent durations whose newest five all take {@code seconds}; the older fifteen are far off. */
    private static double[] recentEndingIn(double seconds) {
        double[] recent = new double[20];
        Arrays.fill(recent, 0, 15, 1000.0);
        Arrays.fill(recent, 15, 20, seconds);
        return recent;
    }
}
