package io.timeoutpolicy.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.timeoutpolicy.history.WindowStats;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** SPEC 4.1: the metrics of a window, the healthy thresholds, and the bare no_data answer. */
class MetricsTests {

    private static final Instant OLDEST = Instant.parse("2026-11-22T08:00:00Z");
    private static final long ATTEMPTS = 10_000;

    @Test
    void without_attempts_only_environment_and_status_are_set() {
        Metrics metrics = Metrics.of("staging", "connection", "orders-api", Duration.ofHours(24), WindowStats.EMPTY);

        assertThat(metrics).isEqualTo(new Metrics("staging", null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, "no_data"));
    }

    @ParameterizedTest(name = "{0} of 10000 successful, {1} violations: {2}")
    @CsvSource({
            "9000,  0,    degraded",
            "9001,  0,    healthy",
            "9999,  999,  healthy",
            "9999,  1000, degraded",
            "9999,  1001, degraded",
            "10000, 0,    healthy"})
    void healthy_needs_success_rate_above_90_and_violation_rate_below_10(long successes, long violations,
            String status) {
        Metrics metrics = metrics(stats(ATTEMPTS, successes, violations, Duration.ofHours(1), recentTwenty()));

        assertThat(metrics.status()).isEqualTo(status);
    }

    @Test
    void counts_and_rates_come_from_the_window() {
        Metrics metrics = metrics(stats(40, 34, 3, Duration.ofHours(1), recentTwenty()));

        assertThat(metrics.connectionAttempts()).isEqualTo(40);
        assertThat(metrics.successfulConnections()).isEqualTo(34);
        assertThat(metrics.failedConnections()).isEqualTo(6);
        assertThat(metrics.timeoutViolations()).isEqualTo(3);
        assertThat(metrics.successRate()).isEqualTo(85.0);
        assertThat(metrics.timeoutViolationRate()).isEqualTo(7.5);
        assertThat(metrics.status()).isEqualTo("degraded");
    }

    @Test
    void averages_are_of_all_attempts_and_of_the_recent_20() {
        // 40 attempts summing to 400 s; the newest 20 are 1 s … 20 s, averaging 10.5 s.
        Metrics metrics = metrics(stats(40, 40, 0, Duration.ofHours(1), recentTwenty()));

        assertThat(metrics.averageConnectionTime()).isEqualTo(10.0);
        assertThat(metrics.recentAverageConnectionTime()).isEqualTo(10.5);
    }

    @Test
    void with_fewer_than_20_attempts_the_recent_average_is_of_all_of_them() {
        Metrics metrics = metrics(stats(3, 3, 0, Duration.ZERO, new double[] {2.0, 4.0, 9.0}));

        assertThat(metrics.recentAverageConnectionTime()).isEqualTo(5.0);
    }

    @Test
    void extremes_last_and_percentiles_are_passed_through() {
        Metrics metrics = metrics(stats(40, 40, 0, Duration.ofHours(1), recentTwenty()));

        assertThat(metrics.minConnectionTime()).isEqualTo(0.5);
        assertThat(metrics.maxConnectionTime()).isEqualTo(31.0);
        assertThat(metrics.lastConnectionTime()).isEqualTo(20.0);
        assertThat(metrics.p50()).isEqualTo(500.0);
        assertThat(metrics.p90()).isEqualTo(900.0);
        assertThat(metrics.p99()).isEqualTo(990.0);
        assertThat(metrics.p999()).isEqualTo(999.0);
    }

    @Test
    void monitoring_duration_is_newest_minus_oldest_in_hours() {
        Metrics metrics = metrics(stats(40, 40, 0, Duration.ofMinutes(90).plusMillis(36), recentTwenty()));

        assertThat(metrics.monitoringDurationHours()).isCloseTo(1.50001, offset(1e-12));
    }

    @Test
    void a_single_attempt_has_monitored_for_zero_hours() {
        Metrics metrics = metrics(stats(1, 1, 0, Duration.ZERO, new double[] {3.0}));

        assertThat(metrics.monitoringDurationHours()).isEqualTo(0.0);
        assertThat(metrics.status()).isEqualTo("healthy");
    }

    @Test
    void the_answer_names_what_was_asked() {
        Metrics metrics = Metrics.of("staging", "pool", "orders-api", Duration.ofMinutes(90),
                stats(40, 40, 0, Duration.ofHours(1), recentTwenty()));

        assertThat(metrics.environment()).isEqualTo("staging");
        assertThat(metrics.operation()).isEqualTo("pool");
        assertThat(metrics.service()).isEqualTo("orders-api");
        assertThat(metrics.window()).isEqualTo("PT1H30M");
    }

    private static Metrics metrics(WindowStats stats) {
        return Metrics.of("staging", "connection", null, Duration.ofHours(24), stats);
    }

    /** A window of {@code count} attempts averaging 10 s, spanning {@code span}; quantile q answers 1000 q. */
    private static WindowStats stats(long count, long successes, long violations, Duration span, double[] recent) {
        return new WindowStats(count, successes, violations, 10.0 * count, 0.5, 31.0, recent[recent.length - 1],
                OLDEST, OLDEST.plus(span), recent, q -> Math.round(q * 1000.0 * 1000.0) / 1000.0);
    }

    private static double[] recentTwenty() {
        return IntStream.rangeClosed(1, 20).asDoubleStream().toArray();
    }
}
