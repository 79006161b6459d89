package io.timeoutpolicy.platform.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.timeoutpolicy.platform.journal.Journal;
import io.timeoutpolicy.platform.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one write-behind mechanism: whole requests or nothing, a 503 with the configured Retry-After when
 * full, written in order and in batches once the database is back, put back in front when a write fails.
 */
class WriteBehindTests {

    private final DatabaseStatus database = new DatabaseStatus();
    private final List<List<String>> written = new ArrayList<>();
    private boolean failing;
    private WriteBehind<String> buffer;

    @TempDir
    Path journals;
    private final List<String> setAside = new ArrayList<>();
    private final List<Journal> opened = new ArrayList<>();

    @BeforeEach
    void healthy() {
        database.markSchemaReady();
        buffer = buffer(batch -> failing
                ? Uni.createFrom().failure(new IllegalStateException("connection refused"))
                : Uni.createFrom().item(() -> {
                    written.add(List.copyOf(batch));
                    return null;
                }));
    }

    @AfterEach
    void close() {
        opened.forEach(Journal::close);
    }

    private WriteBehind<String> buffer(WriteBehind.Store<String> store) {
        return buffer(store, settings(3, 2));
    }

    private WriteBehind<String> buffer(WriteBehind.Store<String> store, WriteBehind.Settings settings) {
        Journal journal = Journal.open(journals.resolve("things.journal"));
        opened.add(journal);
        return new WriteBehind<>("things", settings, store, TEXT, database, journal, (kind, payload, refused) -> {
            setAside.add(new String(payload, StandardCharsets.UTF_8) + " " + refused.sqlState());
            return Uni.createFrom().voidItem();
        });
    }

    private static final WriteBehind.Codec<String> TEXT = new WriteBehind.Codec<>() {
        @Override
        public byte[] encode(String item) {
            return item.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String decode(byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    };

    @Test
    void a_request_that_does_not_fit_is_refused_whole_with_retry_after() {
        buffer.keep(List.of("a", "b"));
        ProblemException full = catchThrowableOfType(ProblemException.class, () -> buffer.keep(List.of("c", "d")));

        assertThat(full.status()).isEqualTo(503);
        assertThat(full.retryAfter()).isEqualTo(Duration.ofSeconds(7));
        assertThat(full.getMessage()).contains("things", "(3)");
        assertThat(buffer.held()).containsExactly("a", "b");
    }

    @Test
    void what_is_held_is_written_in_order_and_in_batches() {
        buffer.keep(List.of("a", "b", "c"));
        buffer.flush().await().indefinitely();

        assertThat(written).containsExactly(List.of("a", "b"), List.of("c"));
        assertThat(buffer.depth()).isZero();
    }

    @Test
    void a_batch_being_written_is_still_held_until_it_is_written() {
        List<UniEmitter<? super Void>> pending = new ArrayList<>();
        WriteBehind<String> slow = buffer(batch -> Uni.createFrom().emitter(pending::add));
        slow.keep(List.of("a", "b", "c"));
        slow.flush().subscribe().with(ignored -> { });

        assertThat(slow.depth()).isEqualTo(3);
        assertThat(slow.held()).containsExactly("a", "b", "c");
        pending.get(0).complete(null);
        assertThat(slow.held()).containsExactly("c");
    }

    @Test
    void a_failed_write_puts_the_batch_back_in_front_and_marks_the_database_unavailable() {
        buffer.keep(List.of("a", "b", "c"));
        failing = true;
        buffer.flush().await().indefinitely();

        assertThat(buffer.held()).containsExactly("a", "b", "c");
        assertThat(database.isHealthy()).isFalse();

        failing = false;
        buffer.flush().await().indefinitely();
        assertThat(written).containsExactly(List.of("a", "b"), List.of("c"));
        assertThat(database.isHealthy()).isTrue();
    }

    @Test
    void while_the_database_is_unhealthy_writes_are_kept_without_trying_it() {
        database.markUnavailable(new IllegalStateException("down"));
        buffer.writeOrKeep(List.of("a")).await().indefinitely();

        assertThat(written).isEmpty();
        assertThat(buffer.held()).containsExactly("a");
    }

    @Test
    void a_write_that_fails_keeps_and_a_full_buffer_then_fails_with_its_503_alone() {
        failing = true;
        buffer.writeOrKeep(List.of("a", "b")).await().indefinitely();
        assertThat(buffer.held()).containsExactly("a", "b");

        database.markAvailable();
        Throwable failure = catchThrowableOfType(Throwable.class,
                () -> buffer.writeOrKeep(List.of("c", "d")).await().indefinitely());
        assertThat(failure).isInstanceOf(ProblemException.class);
    }

    @Test
    void a_batch_put_back_never_makes_the_buffer_hold_more_than_its_capacity() {
        List<UniEmitter<? super Void>> pending = new ArrayList<>();
        WriteBehind<String> slow = buffer(batch -> Uni.createFrom().emitter(pending::add));
        slow.keep(List.of("a", "b")).await().indefinitely();
        slow.flush().subscribe().with(ignored -> { });
        slow.keep(List.of("c")).await().indefinitely();

        ProblemException full = catchThrowableOfType(ProblemException.class, () -> slow.keep(List.of("d")));
        assertThat(full.status()).as("a, b being written and c waiting fill 3").isEqualTo(503);
        pending.get(0).fail(new IllegalStateException("connection reset"));
        assertThat(slow.depth()).isEqualTo(3);
        assertThat(slow.held()).containsExactly("a", "b", "c");
    }

    @Test
    void what_is_kept_is_in_the_journal_before_the_answer_and_replayed_by_the_next_buffer() {
        buffer.keep(List.of("a", "b")).await().indefinitely();
        buffer.keep(List.of("c")).await().indefinitely();
        opened.forEach(Journal::close);
        opened.clear();

        WriteBehind<String> restarted = buffer(batch -> Uni.createFrom().voidItem());
        assertThat(restarted.held()).containsExactly("a", "b", "c");
    }

    @Test
    void what_was_written_is_not_replayed() {
        buffer.keep(List.of("a", "b", "c")).await().indefinitely();
        buffer.flush().await().indefinitely();
        buffer.keep(List.of("d")).await().indefinitely();
        opened.forEach(Journal::close);
        opened.clear();

        WriteBehind<String> restarted = buffer(batch -> Uni.createFrom().voidItem());
        assertThat(restarted.held()).containsExactly("d");
    }

    @Test
    void an_item_the_database_refuses_for_its_content_is_set_aside_and_the_rest_written() {
        WriteBehind<String> picky = buffer(batch -> batch.contains("bad")
                ? Uni.createFrom().failure(new ContentRefused("22021", new IllegalArgumentException("NUL")))
                : Uni.createFrom().item(() -> {
                    written.add(List.copyOf(batch));
                    return null;
                }), settings(10, 5));
        picky.keep(List.of("a", "b", "bad", "c", "d")).await().indefinitely();
        picky.flush().await().indefinitely();

        assertThat(setAside).containsExactly("bad 22021");
        assertThat(written.stream().flatMap(List::stream)).containsExactly("a", "b", "c", "d");
        assertThat(picky.depth()).isZero();
        assertThat(database.isHealthy()).as("a content error is no outage").isTrue();
    }

    @Test
    void shutdown_keeps_trying_until_the_database_answers_within_the_wait() {
        buffer.keep(List.of("a", "b", "c")).await().indefinitely();
        failing = true;
        new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            failing = false;
        }).start();

        buffer.drain();

        assertThat(buffer.depth()).isZero();
        assertThat(written.stream().flatMap(List::stream)).containsExactly("a", "b", "c");
    }

    private static WriteBehind.Settings settings(int capacity, int batchSize) {
        return new WriteBehind.Settings() {
            @Override
            public int capacity() {
                return capacity;
            }

            @Override
            public Duration flushInterval() {
                return Duration.ofSeconds(1);
            }

            @Override
            public int batchSize() {
                return batchSize;
            }

            @Override
            public Duration shutdownWait() {
                return Duration.ofSeconds(1);
            }

            @Override
            public Duration retryAfter() {
                return Duration.ofSeconds(7);
            }
        };
    }
}
