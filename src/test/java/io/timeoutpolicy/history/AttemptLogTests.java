package io.timeoutpolicy.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The chunked columns of a series: order by (occurred_at, seq) across chunk boundaries, a copy of an
 * attempt refused, whole chunks freed by expiry, and the bytes an attempt costs.
 */
class AttemptLogTests {

    private static final int CHUNK = AttemptLog.CHUNK;

    private final AttemptLog log = new AttemptLog();

    @Test
    void appends_cross_chunk_boundaries_in_order() {
        for (int i = 0; i < 3 * CHUNK + 5; i++) {
            assertThat(add(i * 10L, i)).isTrue();
        }
        assertThat(log.length()).isEqualTo(3 * CHUNK + 5);
        for (int i = 0; i < log.end(); i++) {
            assertThat(log.at(i)).isEqualTo(i * 10L);
            assertThat(log.seq(i)).isEqualTo(i);
            assertThat(log.duration(i)).isEqualTo(i % 7);
        }
    }

    @Test
    void a_back_dated_attempt_shifts_the_newer_ones_across_every_chunk_boundary() {
        for (int i = 0; i < 2 * CHUNK; i++) {
            add(i * 10L + 10, i + 1);
        }
        // Into the first chunk, at the very last slot of a chunk, and at the very front.
        add(15, 100_000);
        add(CHUNK * 10L + 5, 100_001);
        add(1, 100_002);

        assertThat(log.length()).isEqualTo(2 * CHUNK + 3);
        assertSorted();
        assertThat(log.at(0)).isEqualTo(1);
        assertThat(log.at(2)).isEqualTo(15);
        assertThat(log.seq(2)).isEqualTo(100_000);
    }

    @Test
    void removing_an_attempt_moves_the_newer_ones_down_across_every_chunk_boundary() {
        for (int i = 0; i < 2 * CHUNK + 3; i++) {
            add(i * 10L, i);
        }
        log.removeAt(log.indexOf(CHUNK * 10L - 10, CHUNK - 1));   // the last slot of the first chunk
        log.removeAt(log.indexOf(5 * 10L, 5));                     // deep in the first chunk
        log.removeAt(log.end() - 1);                               // the newest

        assertThat(log.length()).isEqualTo(2 * CHUNK);
        assertSorted();
        assertThat(log.indexOf(5 * 10L, 5)).isEqualTo(-1);
        assertThat(log.seq(5)).isEqualTo(6);
        assertThat(log.seq(CHUNK - 2)).as("the first chunk's last slot, filled from the next").isEqualTo(CHUNK);
        assertThat(log.duration(CHUNK - 2)).isEqualTo(CHUNK % 7);
        assertThat(log.seq(log.end() - 1)).isEqualTo(2L * CHUNK + 1);
        assertThat(log.indexOf(20L * CHUNK, 2L * CHUNK)).isEqualTo(2 * CHUNK - 2);
    }

    @Test
    void a_new_seq_keeps_the_attempt_in_place_past_others_of_the_same_instant() {
        add(10, 1);
        add(20, -2);      // provisional: sorts before every stored seq of its instant
        add(20, 5);
        add(20, 9);
        add(30, 2);

        assertThat(log.reseq(log.indexOf(20, -2), 7)).isTrue();

        assertThat(List.of(log.seq(0), log.seq(1), log.seq(2), log.seq(3), log.seq(4))).containsExactly(1L, 5L, 7L,
                9L, 2L);
        assertThat(log.seq(1)).isEqualTo(5);
        assertThat(log.seq(2)).isEqualTo(7);
        assertThat(log.duration(2)).as("the row moved whole").isEqualTo(-2.0);
        assertThat(log.seq(3)).isEqualTo(9);
    }

    @Test
    void a_new_seq_the_log_holds_already_removes_the_attempt() {
        add(20, -2);
        add(20, 5);

        assertThat(log.reseq(log.indexOf(20, -2), 5)).isFalse();

        assertThat(log.length()).isEqualTo(1);
        assertThat(log.seq(0)).isEqualTo(5);
    }

    @Test
    void random_inserts_give_the_same_order_as_sorting() {
        Random random = new Random(42);
        List<long[]> expected = new ArrayList<>();
        for (int i = 0; i < CHUNK + CHUNK / 2; i++) {
            long at = random.nextInt(1_000_000);
            add(at, i);
            expected.add(new long[] {at, i});
        }
        expected.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
        for (int i = 0; i < expected.size(); i++) {
            assertThat(log.at(i)).isEqualTo(expected.get(i)[0]);
            assertThat(log.seq(i)).isEqualTo(expected.get(i)[1]);
        }
    }

    @Test
    void an_attempt_already_held_is_refused_wherever_it_sorts() {
        for (int i = 0; i < CHUNK + 10; i++) {
            add(i * 10L, i);
        }
        assertThat(add((CHUNK + 9) * 10L, CHUNK + 9)).as("the newest").isFalse();
        assertThat(add(500, 50)).as("one in the middle").isFalse();
        assertThat(add(0, 0)).as("the oldest").isFalse();
        assertThat(add(500, 10_000_000)).as("same instant, another seq").isTrue();
        assertThat(log.length()).isEqualTo(CHUNK + 11);
    }

    @Test
    void expiry_frees_whole_chunks_and_keeps_the_rest_addressable() {
        for (int i = 0; i < 4 * CHUNK; i++) {
            add(i, i);
        }
        long before = log.heapBytes();
        log.dropBefore(2L * CHUNK + 7);

        assertThat(log.length()).isEqualTo(2 * CHUNK - 7);
        assertThat(log.at(log.head())).isEqualTo(2L * CHUNK + 7);
        assertThat(log.heapBytes()).isEqualTo(before / 2);
        add(4L * CHUNK, 4L * CHUNK);
        assertThat(log.at(log.end() - 1)).isEqualTo(4L * CHUNK);
        assertSorted();
    }

    @Test
    void a_small_series_takes_little_and_a_large_one_37_bytes_an_attempt() {
        add(1, 1);
        assertThat(log.heapBytes()).isLessThan(4_096);
        for (int i = 2; i <= 10 * CHUNK; i++) {
            add(i, i);
        }
        assertThat(log.heapBytes() / log.length()).isEqualTo(37);
    }

    private boolean add(long at, long seq) {
        return log.insert(at, seq, seq % 7, 30.0, seq % 2 == 0, seq % 3 == 0, (int) (seq % 5));
    }

    private void assertSorted() {
        for (int i = log.head() + 1; i < log.end(); i++) {
            boolean ordered = log.at(i - 1) < log.at(i) || log.at(i - 1) == log.at(i) && log.seq(i - 1) < log.seq(i);
            assertThat(ordered).as("order at %d", i).isTrue();
            assertThat(log.duration(i)).isEqualTo(log.seq(i) % 7);
            assertThat(log.service(i)).isEqualTo((int) (log.seq(i) % 5));
            assertThat(log.success(i)).isEqualTo(log.seq(i) % 2 == 0);
            assertThat(log.violation(i)).isEqualTo(log.seq(i) % 3 == 0);
        }
    }
}
