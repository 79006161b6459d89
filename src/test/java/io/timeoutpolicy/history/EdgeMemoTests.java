package io.timeoutpolicy.history;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The window's partial first minute, summarised once and kept: every change that touches the range, or moves
 * the range, gives what a fresh scan gives, bit for bit; what leaves the range alone scans nothing again.
 */
class EdgeMemoTests {

    private static final int CHUNK = AttemptLog.CHUNK;

    private final AttemptLog log = new AttemptLog();
    private final EdgeMemo memo = new EdgeMemo(false, true);

    @Test
    void the_same_range_asked_again_is_not_scanned_again_and_each_copy_is_the_callers_own() {
        fill(3 * CHUNK);
        Summary first = memo.summaryOf(log, 100, 9_000);
        first.sum.add(1_000.0);
        first.count++;

        assertSame(memo.summaryOf(log, 100, 9_000), scan(100, 9_000));
        assertThat(memo.scans()).isEqualTo(1);
    }

    @Test
    void a_window_start_that_passes_an_attempt_summarises_one_fewer() {
        fill(3 * CHUNK);
        memo.summaryOf(log, 100, 9_000);

        assertSame(memo.summaryOf(log, 101, 9_000), scan(101, 9_000));
        assertThat(memo.scans()).isEqualTo(2);
    }

    @Test
    void an_attempt_back_dated_into_the_range_is_counted() {
        fill(3 * CHUNK);
        memo.summaryOf(log, 100, 9_000);

        log.insert(5_000 * 10L + 5, 999_999, 42.0, 30.0, true, true, 1);

        assertSame(memo.summaryOf(log, 100, 9_001), scan(100, 9_001));
        assertThat(memo.summaryOf(log, 100, 9_001).max).isEqualTo(42.0);
    }

    @Test
    void an_attempt_replaced_inside_the_range_by_another_of_the_same_bounds_is_seen() {
        fill(3 * CHUNK);
        memo.summaryOf(log, 100, 9_000);

        // Same first and last attempt, same indices: only the chunk's stamp tells the range changed.
        log.removeAt(5_000);
        log.insert(5_000 * 10L, 5_000, 77.0, 30.0, false, true, 1);

        assertSame(memo.summaryOf(log, 100, 9_000), scan(100, 9_000));
        assertThat(memo.summaryOf(log, 100, 9_000).max).isEqualTo(77.0);
    }

    @Test
    void appends_to_a_later_chunk_leave_the_range_alone() {
        fill(3 * CHUNK);
        memo.summaryOf(log, 100, 9_000);

        for (int i = 3 * CHUNK; i < 4 * CHUNK; i++) {
            add(i);
        }

        assertSame(memo.summaryOf(log, 100, 9_000), scan(100, 9_000));
        assertThat(memo.scans()).isEqualTo(1);
    }

    @Test
    void forgetting_whole_chunks_before_the_range_moves_its_indices_not_its_summary() {
        fill(4 * CHUNK);
        int from = 2 * CHUNK + 100;
        int to = 2 * CHUNK + 9_000;
        Summary before = memo.summaryOf(log, from, to);

        log.dropBefore((2 * CHUNK + 50) * 10L);
        int movedFrom = log.firstAtOrAfter((2 * CHUNK + 100) * 10L);
        int movedTo = log.firstAtOrAfter((2 * CHUNK + 9_000) * 10L);

        assertThat(movedFrom).isLessThan(from);
        assertSame(memo.summaryOf(log, movedFrom, movedTo), before);
        assertSame(memo.summaryOf(log, movedFrom, movedTo), scan(movedFrom, movedTo));
        assertThat(memo.scans()).isEqualTo(1);
    }

    @Test
    void another_log_with_other_attempts_at_the_same_stamps_is_scanned() {
        fill(CHUNK);
        memo.summaryOf(log, 10, 500);
        AttemptLog other = new AttemptLog();
        for (int i = 0; i < CHUNK; i++) {
            other.insert(i * 10L, i, i == 200 ? 99.0 : i % 7, 30.0, true, false, 0);
        }

        assertThat(memo.summaryOf(other, 10, 500).max).isEqualTo(99.0);
    }

    @Test
    void a_memo_of_successes_skips_the_failures() {
        EdgeMemo successes = new EdgeMemo(true, false);
        fill(CHUNK);

        Summary summary = successes.summaryOf(log, 0, 1_000);

        assertThat(summary.count).isEqualTo(500).isEqualTo(summary.successes);
        assertThat(summary.quantiles).isNull();
    }

    @Test
    void an_empty_range_is_an_empty_summary() {
        assertThat(memo.summaryOf(log, 0, 0).count).isZero();
        assertThat(memo.scans()).isZero();
    }

    private void fill(int n) {
        for (int i = 0; i < n; i++) {
            add(i);
        }
    }

    private void add(int i) {
        log.insert(i * 10L, i, i % 7 + i / 1_000.0, 30.0, i % 2 == 0, i % 3 == 0, i % 5);
    }

    private Summary scan(int from, int to) {
        Summary scanned = new Summary(true);
        scanned.addAll(log, from, to);
        return scanned;
    }

    private static void assertSame(Summary actual, Summary expected) {
        assertThat(actual.count).isEqualTo(expected.count);
        assertThat(actual.successes).isEqualTo(expected.successes);
        assertThat(actual.violations).isEqualTo(expected.violations);
        assertThat(actual.sum.value()).isEqualTo(expected.sum.value());
        assertThat(actual.min).isEqualTo(expected.min);
        assertThat(actual.max).isEqualTo(expected.max);
        assertThat(actual.maxSuccess).isEqualTo(expected.maxSuccess);
        for (double q : new double[] {0.01, 0.5, 0.99}) {
            assertThat(actual.quantiles.getValueAtQuantile(q)).isEqualTo(expected.quantiles.getValueAtQuantile(q));
        }
        assertThat(actual.quantiles.getCount()).isEqualTo(expected.quantiles.getCount());
    }
}
