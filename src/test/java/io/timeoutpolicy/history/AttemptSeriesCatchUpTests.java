package io.timeoutpolicy.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A series adopting the fresh copy a catch-up filled: what arrived meanwhile (the journal) joins the copy,
 * an attempt both read and arrived counts once, and what came before the journal is the copy's to bring.
 */
class AttemptSeriesCatchUpTests {

    private static final long MINUTE = AttemptSeries.BUCKET_MICROS;
    private static final long START = Micros.of(Instant.parse("2026-11-22T00:00:00Z"));

    @Test
    void the_journal_joins_the_copy_and_what_both_hold_counts_once() {
        AttemptSeries live = new AttemptSeries();
        add(live, 100, 1, 1.0);                 // before the journal: the catch-up reads it too
        live.startJournal();
        add(live, 200, 5, 2.0);                 // arrived meanwhile, also read by a later page
        add(live, 300, 6, 3.0);                 // arrived meanwhile, committed after the page passed it

        AttemptSeries fresh = new AttemptSeries();
        add(fresh, 50, 0, 0.5);                 // older history only PostgreSQL had
        add(fresh, 100, 1, 1.0);
        add(fresh, 200, 5, 2.0);
        live.adopt(fresh, START + 1);

        WindowStats all = live.window(START, null, true);
        assertThat(all.count()).isEqualTo(4);
        assertThat(all.sum()).isEqualTo(6.5);
        assertThat(all.last()).isEqualTo(3.0);
        assertThat(live.size()).isEqualTo(4);
    }

    @Test
    void a_series_born_during_the_catch_up_brings_all_it_holds() {
        AttemptSeries live = new AttemptSeries();
        add(live, 10, 7, 1.0);
        add(live, 20, 8, 1.0);

        AttemptSeries fresh = new AttemptSeries();
        add(fresh, 10, 7, 1.0);
        live.adopt(fresh, START + 1);

        assertThat(live.window(START, null, false).count()).isEqualTo(2);
    }

    @Test
    void after_adopting_the_series_takes_new_attempts_and_keeps_no_journal() {
        AttemptSeries live = new AttemptSeries();
        live.startJournal();
        AttemptSeries fresh = new AttemptSeries();
        for (int i = 0; i < 3 * AttemptLog.CHUNK; i++) {
            add(fresh, 1_000 + i * 1_000L, i, 1.0);
        }
        long bytes = fresh.heapBytes();
        live.adopt(fresh, START + 1);
        assertThat(live.heapBytes()).as("the copy's columns, no journal beside them").isEqualTo(bytes);
        add(live, 10 * MINUTE * 1_000, 1_000_000, 9.0);

        assertThat(live.window(START, null, false).count()).isEqualTo(3L * AttemptLog.CHUNK + 1);
        assertThat(live.heapBytes()).as("one more chunk, not twice the columns").isEqualTo(bytes + bytes / 3);
    }

    @Test
    void attempts_older_than_the_copy_reaches_are_dropped() {
        AttemptSeries live = new AttemptSeries();
        live.startJournal();
        add(live, -5, 3, 1.0);
        AttemptSeries fresh = new AttemptSeries();
        add(fresh, 5, 4, 1.0);
        live.adopt(fresh, START);

        assertThat(live.window(Long.MIN_VALUE + 1, null, false).count()).isEqualTo(1);
        assertThat(live.add(START - 1, 9, 1.0, 30.0, true, false, 0)).as("older than memory keeps").isFalse();
    }

    private static void add(AttemptSeries series, long offsetMicros, long seq, double duration) {
        series.add(START + offsetMicros, seq, duration, 30.0, true, false, 0);
    }
}
