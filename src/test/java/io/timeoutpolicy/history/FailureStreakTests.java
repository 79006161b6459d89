package io.timeoutpolicy.history;

import static io.timeoutpolicy.history.AttemptSeriesTests.stored;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * SPEC 4.6 on the in-memory series: consecutive failures are counted back from the newest attempt in the
 * window, in (occurred_at, order of receipt) order, however late an attempt arrived; the newest failure in
 * the window is reported even after a success.
 */
class FailureStreakTests {

    private static final long SECOND = 1_000_000L;
    private static final long T = Micros.of(Instant.parse("2026-11-22T10:00:00Z"));
    /** A window that starts well before every attempt of a test, unless the test says otherwise. */
    private static final long WINDOW_START = T - 3_600 * SECOND;

    private final AttemptSeries series = new AttemptSeries();
    private long seq;

    @Test
    void an_empty_series_has_no_streak_and_no_failure() {
        assertThat(series.failureStreak(WINDOW_START)).isEqualTo(FailureStreak.NONE);
    }

    @Test
    void only_successes_give_no_streak_and_no_failure() {
        success(T + SECOND);
        success(T + 2 * SECOND);

        assertThat(series.failureStreak(WINDOW_START)).isEqualTo(new FailureStreak(0, null));
    }

    @Test
    void failures_since_the_last_success_are_counted_and_the_newest_is_reported() {
        failure(T + SECOND);
        success(T + 2 * SECOND);
        failure(T + 3 * SECOND);
        failure(T + 4 * SECOND);
        failure(T + 5 * SECOND);

        assertThat(series.failureStreak(WINDOW_START)).isEqualTo(new FailureStreak(3, at(T + 5 * SECOND)));
    }

    @Test
    void a_window_of_failures_only_counts_them_all() {
        for (int i = 1; i <= 6; i++) {
            failure(T + i * SECOND);
        }

        assertThat(series.failureStreak(WINDOW_START)).isEqualTo(new FailureStreak(6, at(T + 6 * SECOND)));
    }

    @Test
    void a_success_after_the_failures_ends_the_streak_but_the_newest_failure_is_still_reported() {
        failure(T + SECOND);
        failure(T + 2 * SECOND);
        failure(T + 3 * SECOND);
        success(T + 4 * SECOND);
        success(T + 5 * SECOND);

        assertThat(series.failureStreak(WINDOW_START)).isEqualTo(new FailureStreak(0, at(T + 3 * SECOND)));
    }

    @Test
    void a_back_dated_success_received_last_breaks_the_streak_where_it_occurred() {
        failure(T + SECOND);
        failure(T + 3 * SECOND);
        failure(T + 4 * SECOND);
        success(T + 2 * SECOND);

        assertThat(series.failureStreak(WINDOW_START)).isEqualTo(new FailureStreak(2, at(T + 4 * SECOND)));
    }

    @Test
    void a_back_dated_failure_received_last_does_not_extend_a_streak_ended_by_a_later_success() {
        failure(T + SECOND);
        success(T + 5 * SECOND);
        failure(T + 3 * SECOND);

        assertThat(series.failureStreak(WINDOW_START)).isEqualTo(new FailureStreak(0, at(T + 3 * SECOND)));
    }

    @Test
    void back_dated_failures_received_out_of_order_join_the_streak_after_the_last_success() {
        success(T + SECOND);
        failure(T + 10 * SECOND);
        failure(T + 4 * SECOND);
        failure(T + 7 * SECOND);
        failure(T + 2 * SECOND);

        assertThat(series.failureStreak(WINDOW_START)).isEqualTo(new FailureStreak(4, at(T + 10 * SECOND)));
    }

    @Test
    void attempts_at_the_same_instant_follow_the_order_of_receipt() {
        series.add(stored(T, 11, 1.0, false, 30.0), 1);
        series.add(stored(T, 10, 1.0, true, 30.0), 1);

        assertThat(series.failureStreak(WINDOW_START)).isEqualTo(new FailureStreak(1, at(T)));

        series.add(stored(T, 12, 1.0, true, 30.0), 1);

        assertThat(series.failureStreak(WINDOW_START)).isEqualTo(new FailureStreak(0, at(T)));
    }

    @Test
    void failures_before_the_window_are_ignored() {
        failure(T - 3 * SECOND);
        failure(T - 2 * SECOND);
        failure(T - SECOND);
        failure(T);
        failure(T + SECOND);
        failure(T + 2 * SECOND);

        // The window holds attempts that occurred strictly after its start (SPEC 2).
        assertThat(series.failureStreak(T)).isEqualTo(new FailureStreak(2, at(T + 2 * SECOND)));
        assertThat(series.failureStreak(T - SECOND)).isEqualTo(new FailureStreak(3, at(T + 2 * SECOND)));
    }

    @Test
    void a_success_before_the_window_does_not_end_the_streak_inside_it() {
        failure(T - 2 * SECOND);
        success(T - SECOND);
        failure(T + SECOND);
        failure(T + 2 * SECOND);

        assertThat(series.failureStreak(T)).isEqualTo(new FailureStreak(2, at(T + 2 * SECOND)));
    }

    @Test
    void a_failure_only_before_the_window_is_not_reported_as_the_last_failure() {
        failure(T - 2 * SECOND);
        success(T + SECOND);

        assertThat(series.failureStreak(T)).isEqualTo(new FailureStreak(0, null));
        assertThat(series.failureStreak(T - 3 * SECOND)).isEqualTo(new FailureStreak(0, at(T - 2 * SECOND)));
    }

    @Test
    void a_window_after_every_attempt_is_empty() {
        failure(T + SECOND);
        failure(T + 2 * SECOND);

        assertThat(series.failureStreak(T + 2 * SECOND)).isEqualTo(FailureStreak.NONE);
    }

    @Test
    void expired_attempts_no_longer_count() {
        failure(T + SECOND);
        failure(T + 2 * SECOND);
        failure(T + 3 * SECOND);

        series.expireBefore(T + 2 * SECOND);

        assertThat(series.failureStreak(WINDOW_START)).isEqualTo(new FailureStreak(2, at(T + 3 * SECOND)));
    }

    /** The newest failure is remembered between questions: each case asks before and after a change. */
    @Test
    void the_newest_failure_follows_every_change_after_it_was_asked_for() {
        failure(T + SECOND);
        success(T + 2 * SECOND);
        assertThat(series.failureStreak(WINDOW_START)).isEqualTo(new FailureStreak(0, at(T + SECOND)));

        failure(T + 3 * SECOND);
        success(T + 4 * SECOND);
        assertThat(series.failureStreak(WINDOW_START)).isEqualTo(new FailureStreak(0, at(T + 3 * SECOND)));

        // A back-dated failure received last is not the newest; one dated later still is.
        failure(T + SECOND / 2);
        success(T + 5 * SECOND);
        assertThat(series.failureStreak(WINDOW_START)).isEqualTo(new FailureStreak(0, at(T + 3 * SECOND)));

        // The window moving past the newest failure, then memory forgetting it.
        assertThat(series.failureStreak(T + 3 * SECOND)).isEqualTo(new FailureStreak(0, null));
        series.expireBefore(T + 3 * SECOND + 1);
        assertThat(series.failureStreak(WINDOW_START)).isEqualTo(new FailureStreak(0, null));
        failure(T + 6 * SECOND);
        success(T + 7 * SECOND);
        assertThat(series.failureStreak(WINDOW_START)).isEqualTo(new FailureStreak(0, at(T + 6 * SECOND)));
    }

    private void success(long atMicros) {
        series.add(stored(atMicros, ++seq, 1.0, true, 30.0), 1);
    }

    private void failure(long atMicros) {
        series.add(stored(atMicros, ++seq, 1.0, false, 30.0), 1);
    }

    private static Instant at(long micros) {
        return Micros.toInstant(micros);
    }
}
