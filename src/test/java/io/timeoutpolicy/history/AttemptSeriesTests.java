package io.timeoutpolicy.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.timeoutpolicy.policy.Operation;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SPEC 2 and 4.1 on the in-memory series: the window is occurred_at &gt; now − window (strictly), "recent"
 * follows occurred_at then order of receipt, and every path (per-minute buckets, exact scan, service filter)
 * gives the same exact aggregates. Quantile accuracy is in {@link AttemptSeriesQuantileTests}.
 */
class AttemptSeriesTests {

    private static final long MINUTE = AttemptSeries.BUCKET_MICROS;
    private static final long HOUR = 60 * MINUTE;
    private static final int SERVICE = 1;
    private static final int OTHER_SERVICE = 2;

    private final AttemptSeries series = new AttemptSeries();
    private long seq;

    @ParameterizedTest(name = "window start {0} µs after a minute boundary")
    @ValueSource(longs = {17_250_000L, 0L, 59_999_999L})
    void an_attempt_1_us_inside_the_window_counts_and_one_exactly_at_its_start_does_not(long offsetInMinute) {
        long after = Micros.of(Instant.parse("2026-11-22T11:00:00Z")) + offsetInMinute - 1;
        add(after, 100.0, true);
        add(after + 1, 1.0, true);
        for (int k = 1; k <= 8; k++) {
            add(after + k * 7 * MINUTE + k * 1_234L, 1.0 + k, k % 2 == 0);
        }

        for (WindowStats stats : everyPath(after)) {
            assertThat(stats.count()).isEqualTo(9);
            assertThat(stats.successes()).isEqualTo(5);
            assertThat(stats.sum()).isEqualTo(45.0);
            assertThat(stats.min()).isEqualTo(1.0);
            assertThat(stats.max()).isEqualTo(9.0);
            assertThat(stats.last()).isEqualTo(9.0);
            assertThat(stats.oldest()).isEqualTo(Micros.toInstant(after + 1));
            assertThat(stats.newest()).isEqualTo(Micros.toInstant(after + 56 * MINUTE + 8 * 1_234L));
            assertThat(stats.recent()).containsExactly(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0);
        }
        assertThat(series.window(after - 1, null, false).count()).isEqualTo(10);
        assertThat(series.window(after + 1, null, false).count()).isEqualTo(8);
    }

    @Test
    void recent_keeps_the_newest_20_oldest_first_across_many_minutes() {
        long start = Micros.of(Instant.parse("2026-11-22T09:00:00Z"));
        for (int i = 0; i < 300; i++) {
            add(start + i * 20_000_000L, i, true);
        }

        for (WindowStats stats : everyPath(start - 1)) {
            assertThat(stats.count()).isEqualTo(300);
            assertThat(stats.sum()).isEqualTo(299 * 300 / 2.0);
            assertThat(stats.recent()).hasSize(WindowStats.RECENT).startsWith(280.0).endsWith(299.0);
            assertThat(stats.last()).isEqualTo(299.0);
        }
    }

    @Test
    void back_dated_attempts_take_their_place_by_occurred_at() {
        long t = Micros.of(Instant.parse("2026-11-22T10:00:00Z"));
        add(t + 3 * MINUTE, 3.0, true);
        add(t + 1 * MINUTE, 1.0, true);
        add(t + 4 * MINUTE, 4.0, true);
        add(t + 2 * MINUTE, 2.0, true);

        for (WindowStats stats : everyPath(t)) {
            assertThat(stats.recent()).containsExactly(1.0, 2.0, 3.0, 4.0);
            assertThat(stats.last()).isEqualTo(4.0);
            assertThat(stats.oldest()).isEqualTo(Micros.toInstant(t + MINUTE));
        }
        add(t + 30 * 1_000_000L, 0.5, true);
        assertThat(series.window(t, null, false).recent()).containsExactly(0.5, 1.0, 2.0, 3.0, 4.0);
        assertThat(series.window(t, null, false).last()).isEqualTo(4.0);
    }

    @Test
    void attempts_at_the_same_instant_are_ordered_by_receipt() {
        long t = Micros.of(Instant.parse("2026-11-22T10:00:00Z"));
        addWithSeq(t, 12, 2.0);
        addWithSeq(t, 11, 1.0);
        addWithSeq(t, 13, 3.0);
        addWithSeq(t - MINUTE, 20, 0.5);

        for (WindowStats stats : everyPath(t - HOUR)) {
            assertThat(stats.recent()).containsExactly(0.5, 1.0, 2.0, 3.0);
            assertThat(stats.last()).isEqualTo(3.0);
        }
    }

    @Test
    void a_back_dated_attempt_into_a_full_minute_already_summarised_is_counted() {
        long t = Micros.of(Instant.parse("2026-11-22T10:00:00Z"));
        for (int i = 0; i < 120; i++) {
            add(t + i * MINUTE / 2, 1.0, true);
        }
        assertThat(series.window(t - 1, null, false).count()).isEqualTo(120);

        add(t + 10 * MINUTE + 1, 50.0, false);

        WindowStats stats = series.window(t - 1, null, false);
        assertThat(stats.count()).isEqualTo(121);
        assertThat(stats.successes()).isEqualTo(120);
        assertThat(stats.sum()).isEqualTo(170.0);
        assertThat(stats.max()).isEqualTo(50.0);
        assertThat(stats.last()).isEqualTo(1.0);
    }

    @Test
    void a_back_dated_attempt_into_the_partial_first_minute_already_summarised_is_counted() {
        long t = Micros.of(Instant.parse("2026-11-22T10:00:00Z"));
        for (int i = 0; i < 120; i++) {
            add(t + i * MINUTE / 2, 1.0, true);
        }
        long after = t + 30 * MINUTE + MINUTE / 4;   // the window starts a quarter into a minute
        assertThat(series.window(after, null, false).count()).isEqualTo(59);
        assertThat(series.successfulDurations(after, 0.99).count()).isEqualTo(59);

        add(t + 30 * MINUTE + MINUTE / 3, 50.0, true);

        WindowStats stats = series.window(after, null, false);
        assertThat(stats.count()).isEqualTo(60);
        assertThat(stats.sum()).isEqualTo(109.0);
        assertThat(stats.max()).isEqualTo(50.0);
        assertThat(series.successfulDurations(after, 0.99).count()).isEqualTo(60);
        assertThat(series.successfulDurations(after, 1.0).quantile()).isCloseTo(50.0, offset(0.25));
        // A window starting later than the back-dated attempt leaves it out again.
        assertThat(series.window(t + 30 * MINUTE + MINUTE / 2, null, false).count()).isEqualTo(58);
    }

    @Test
    void attempts_into_the_newest_minute_after_a_window_was_merged_are_counted() {
        long t = Micros.of(Instant.parse("2026-11-22T10:00:00Z"));
        for (int i = 0; i < 10_000; i++) {
            add(t + i * 1_000_000L, 1.0, true);
        }
        long after = t - 1;
        assertThat(series.window(after, null, false).count()).isEqualTo(10_000);
        assertThat(series.window(after, null, true).quantiles().at(1.0)).isCloseTo(1.0, offset(0.01));

        add(t + 10_000 * 1_000_000L, 9.0, true);

        assertThat(series.window(after, null, false).count()).isEqualTo(10_001);
        assertThat(series.window(after, null, false).max()).isEqualTo(9.0);
        assertThat(series.window(after, null, true).quantiles().at(1.0)).isCloseTo(9.0, offset(0.05));
        assertThat(series.successfulDurations(after, 1.0).quantile()).isCloseTo(9.0, offset(0.05));
    }

    @Test
    void violations_are_counted_as_recorded() {
        long t = Micros.of(Instant.parse("2026-11-22T10:00:00Z"));
        add(t + 1, 30.0, true);
        add(t + 2, 30.000001, false);
        add(t + 3 * MINUTE, 45.0, false);

        for (WindowStats stats : everyPath(t)) {
            assertThat(stats.violations()).isEqualTo(2);
        }
    }

    @Test
    void expired_attempts_are_forgotten_and_the_rest_stay_exact() {
        long t = Micros.of(Instant.parse("2026-11-22T10:00:00Z"));
        for (int i = 0; i < 600; i++) {
            add(t + i * 6_000_000L, i % 10, true);
        }
        long cutoff = t + 30 * MINUTE + 15_000_000L;

        series.expireBefore(cutoff);

        for (WindowStats stats : everyPath(cutoff - 1)) {
            assertThat(stats.count()).isEqualTo(600 - 303);
            assertThat(stats.oldest()).isEqualTo(Micros.toInstant(t + 303 * 6_000_000L));
            assertThat(stats.sum()).isEqualTo(sumOf(303, 600));
        }
        assertThat(series.isEmpty()).isFalse();
        series.expireBefore(t + HOUR);
        assertThat(series.isEmpty()).isTrue();
        assertThat(series.window(t, null, true)).isSameAs(WindowStats.EMPTY);
    }

    @Test
    void the_service_filter_keeps_only_that_services_attempts() {
        long t = Micros.of(Instant.parse("2026-11-22T10:00:00Z"));
        for (int i = 0; i < 200; i++) {
            add(t + i * 10_000_000L, i, i % 3 != 0, i % 2 == 0 ? SERVICE : OTHER_SERVICE);
        }

        WindowStats stats = series.window(t - 1, s -> s == SERVICE, false);

        assertThat(stats.count()).isEqualTo(100);
        assertThat(stats.successes()).isEqualTo(66);
        assertThat(stats.sum()).isEqualTo(99.0 * 100);
        assertThat(stats.min()).isEqualTo(0.0);
        assertThat(stats.max()).isEqualTo(198.0);
        assertThat(stats.last()).isEqualTo(198.0);
        assertThat(stats.recent()).hasSize(20).startsWith(160.0).endsWith(198.0);
        assertThat(stats.oldest()).isEqualTo(Micros.toInstant(t));
        assertThat(series.window(t - 1, s -> s == 99, true)).isSameAs(WindowStats.EMPTY);
    }

    @Test
    void simulation_counts_strictly_longer_attempts_and_what_clients_would_have_waited() {
        long t = Micros.of(Instant.parse("2026-11-22T10:00:00Z"));
        addWithTimeout(t, 100.0, true, 30.0);
        addWithTimeout(t + 1, 2.0, true, 30.0);
        addWithTimeout(t + 2, 5.0, true, 30.0);
        addWithTimeout(t + 3 * MINUTE, 7.5, true, 30.0);
        addWithTimeout(t + 4 * MINUTE, 40.0, false, 30.0);
        addWithTimeout(t + 5 * MINUTE, 9.0, false, 8.0);

        SimulationTotals totals = series.simulate(t, 5.0);

        assertThat(totals.attempts()).isEqualTo(5);
        assertThat(totals.wouldTimeOut()).isEqualTo(3);
        assertThat(totals.falseTimeoutRate()).isCloseTo(1.0 / 3, offset(1e-15));
        assertThat(totals.totalWaitSeconds()).isEqualTo(2.0 + 5.0 + 5.0 + 5.0 + 5.0);
        assertThat(totals.currentTotalWaitSeconds()).isEqualTo(2.0 + 5.0 + 7.5 + 30.0 + 8.0);
    }

    @Test
    void simulation_without_successes_has_no_false_timeouts() {
        long t = Micros.of(Instant.parse("2026-11-22T10:00:00Z"));
        addWithTimeout(t + 1, 40.0, false, 30.0);

        SimulationTotals totals = series.simulate(t, 10.0);

        assertThat(totals.wouldTimeOut()).isEqualTo(1);
        assertThat(totals.falseTimeoutRate()).isEqualTo(0.0);
        assertThat(series.simulate(t + 1, 10.0).attempts()).isZero();
    }

    /** The window by per-minute buckets, by exact scan (with quantiles) and through a service filter. */
    private List<WindowStats> everyPath(long after) {
        IntPredicate all = s -> true;
        return List.of(series.window(after, null, false), series.window(after, null, true),
                series.window(after, all, false));
    }

    private static double sumOf(int fromIndex, int toIndex) {
        double sum = 0;
        for (int i = fromIndex; i < toIndex; i++) {
            sum += i % 10;
        }
        return sum;
    }

    private void add(long atMicros, double duration, boolean success) {
        add(atMicros, duration, success, SERVICE);
    }

    private void add(long atMicros, double duration, boolean success, int service) {
        series.add(stored(atMicros, ++seq, duration, success, 30.0), service);
    }

    private void addWithTimeout(long atMicros, double duration, boolean success, double timeout) {
        series.add(stored(atMicros, ++seq, duration, success, timeout), SERVICE);
    }

    private void addWithSeq(long atMicros, long seqNo, double duration) {
        series.add(stored(atMicros, seqNo, duration, true, 30.0), SERVICE);
    }

    static StoredAttempt stored(long atMicros, long seqNo, double duration, boolean success, double timeout) {
        Instant at = Micros.toInstant(atMicros);
        Attempt attempt = new Attempt(UUID.randomUUID(), "staging", Operation.CONNECTION, duration, success, timeout,
                Attempt.violates(duration, timeout), null, null, null, at, null);
        return new StoredAttempt(attempt, seqNo, at);
    }
}
