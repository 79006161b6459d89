package io.timeoutpolicy.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.timeoutpolicy.policy.Operation;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Attempts accepted while the database is unavailable count at once under a provisional seq, and keep
 * counting once when they are written: under the stored seq, so that a catch-up knows them, and not at all
 * twice when PostgreSQL (and memory) held them already.
 */
class AttemptSeriesSettleTests {

    private static final Instant START = Instant.parse("2026-11-22T00:00:00Z");

    private final AttemptSeries series = new AttemptSeries();

    @Test
    void a_written_attempt_takes_its_stored_seq_and_counts_once() {
        Attempt a = attempt(10, 2.0, true);
        series.add(Micros.of(a.occurredAt()), -1, 2.0, 30.0, true, false, 0);

        int twins = series.settle(List.of(new Settlement(a, -1, stored(a, 500), 0)));

        assertThat(twins).isZero();
        assertThat(window().count()).isEqualTo(1);
        assertThat(window().sum()).isEqualTo(2.0);
        assertThat(series.add(stored(a, 500), 0)).as("a catch-up reading it knows it by its seq").isFalse();
    }

    @Test
    void a_retry_of_an_attempt_memory_held_leaves_memory_and_the_minute_is_summed_again() {
        Attempt original = attempt(10, 2.0, false);
        series.add(stored(original, 7), 0);
        series.add(Micros.of(original.occurredAt()), -3, 2.0, 30.0, false, false, 0);
        series.add(Micros.of(START.plusSeconds(20)), -4, 1.0, 30.0, true, false, 0);
        assertThat(window().count()).as("counted at once, before the write").isEqualTo(3);

        int twins = series.settle(List.of(new Settlement(original, -3, stored(original, 7), 0)));

        assertThat(twins).isEqualTo(1);
        WindowStats after = window();
        assertThat(after.count()).isEqualTo(2);
        assertThat(after.successRate()).isEqualTo(50.0);
        assertThat(series.size()).isEqualTo(2);
    }

    @Test
    void an_attempt_after_its_minute_was_summed_again_counts_in_the_new_sum() {
        Attempt original = attempt(10, 2.0, false);
        series.add(stored(original, 7), 0);
        series.add(Micros.of(original.occurredAt()), -3, 2.0, 30.0, false, false, 0);
        series.settle(List.of(new Settlement(original, -3, stored(original, 7), 0)));

        // The newest minute's bucket was made again: the next attempt of that minute must land in the new one.
        series.add(stored(attempt(40, 5.0, true), 8), 0);

        assertThat(window().count()).isEqualTo(2);
        assertThat(window().sum()).isEqualTo(7.0);
        assertThat(series.window(Micros.of(START) - 1, service -> true, false).sum()).as("the exact scan agrees")
                .isEqualTo(7.0);
    }

    @Test
    void a_provisional_attempt_in_the_journal_and_in_the_copy_counts_once_after_adopt_and_settle() {
        series.startJournal();
        Attempt a = attempt(30, 4.0, true);
        series.add(Micros.of(a.occurredAt()), -9, 4.0, 30.0, true, false, 0);
        // The write committed, a catch-up page read the row before memory heard of its seq.
        AttemptSeries fresh = new AttemptSeries();
        fresh.add(stored(a, 900), 0);
        series.adopt(fresh, Micros.of(START) - 1);
        assertThat(window().count()).as("both, for a moment").isEqualTo(2);

        series.settle(List.of(new Settlement(a, -9, stored(a, 900), 0)));

        assertThat(window().count()).isEqualTo(1);
        assertThat(window().sum()).isEqualTo(4.0);
    }

    @Test
    void a_settlement_while_a_catch_up_runs_reaches_the_journal_too() {
        series.startJournal();
        Attempt a = attempt(40, 1.5, true);
        series.add(Micros.of(a.occurredAt()), -2, 1.5, 30.0, true, false, 0);
        series.settle(List.of(new Settlement(a, -2, stored(a, 77), 0)));

        AttemptSeries fresh = new AttemptSeries();
        fresh.add(stored(a, 77), 0);
        series.adopt(fresh, Micros.of(START) - 1);

        assertThat(window().count()).isEqualTo(1);
    }

    private WindowStats window() {
        return series.window(Micros.of(START) - 1, null, false);
    }

    private static Attempt attempt(int second, double duration, boolean success) {
        return new Attempt(UUID.randomUUID(), "staging", Operation.CONNECTION, duration, success, 30.0, false, null,
                null, null, START.plusSeconds(second), null);
    }

    private static StoredAttempt stored(Attempt a, long seq) {
        return new StoredAttempt(a, seq, START.plusSeconds(60));
    }
}
