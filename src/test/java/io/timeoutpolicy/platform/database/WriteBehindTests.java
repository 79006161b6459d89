package io.timeoutpolicy.platform.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.timeoutpolicy.platform.problem.ProblemException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The one write-behind mechanism: whole requests or nothing, a 503 with the configured Retry-After when
 * full, written in order and in batches once the database is back, put back in front when a write fails.
 */
class WriteBehindTests {

    private final DatabaseStatus database = new DatabaseStatus();
    private final List<List<String>> written = new ArrayList<>();
    private boolean failing;
    private WriteBehind<String> buffer;

    @BeforeEach
    void healthy() {
        database.markSchemaReady();
        buffer = new WriteBehind<>("things", settings(3, 2), batch -> failing
                ? Uni.createFrom().failure(new IllegalStateException("connection refused"))
                : Uni.createFrom().item(() -> {
                    written.add(List.copyOf(batch));
                    return null;
                }), database);
    }

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
        WriteBehind<String> slow = new WriteBehind<>("things", settings(3, 2),
                batch -> Uni.createFrom().emitter(pending::add), database);
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
