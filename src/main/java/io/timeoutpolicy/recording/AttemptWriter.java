package io.timeoutpolicy.recording;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.timeoutpolicy.history.Attempt;
import io.timeoutpolicy.history.AttemptRepository;
import io.timeoutpolicy.history.HistoryConfig;
import io.timeoutpolicy.history.HistoryView;
import io.timeoutpolicy.history.StoredAttempt;
import io.timeoutpolicy.platform.database.BoundedBuffer;
import io.timeoutpolicy.platform.database.DatabaseStatus;
import io.timeoutpolicy.platform.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Group commit (SPEC 7): attempts of concurrent requests are written together, one statement per batch.
 * While batches are being written (a few at once, {@code writer-concurrency}), new requests queue; when one
 * commits, everything queued goes in the next. Under load batches grow by themselves; alone, a request
 * waits for no timer. Each request is answered once its own rows are committed.
 *
 * <p>While the database is unavailable, attempts go to a bounded write-behind buffer instead (answered
 * 202), written as soon as it is back and on graceful shutdown; a full buffer is a 503 with Retry-After,
 * so the client keeps its attempts and retries (ids make that safe).
 */
@ApplicationScoped
public class AttemptWriter {

    private record Pending(List<Attempt> attempts, UniEmitter<? super List<StoredAttempt>> emitter) {
    }

    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
    /** Batches being written now: a few at once, so PostgreSQL's own parallelism is used too. */
    private final AtomicInteger writing = new AtomicInteger();
    private final AttemptRepository repository;
    private final HistoryConfig config;
    private final DatabaseStatus database;
    private final HistoryView view;
    private final BoundedBuffer<Attempt> buffer;
    private final Counter batches;
    private final DistributionSummary batchRows;

    AttemptWriter(AttemptRepository repository, HistoryConfig config, DatabaseStatus database, HistoryView view,
            MeterRegistry registry) {
        this.repository = repository;
        this.config = config;
        this.database = database;
        this.view = view;
        this.buffer = new BoundedBuffer<>(config.bufferCapacity());
        Gauge.builder("timeout_policy.write_buffer.depth", buffer, BoundedBuffer::size)
                .description("Attempts waiting in the write-behind buffer for the database").register(registry);
        this.batches = Counter.builder("timeout_policy.attempt.batches")
                .description("Group-commit statements written").register(registry);
        this.batchRows = DistributionSummary.builder("timeout_policy.attempt.batch.rows")
                .description("Attempts per group-commit statement").register(registry);
    }

    /**
     * Stores the attempts (ids unique among them) and answers those that were new; while the database is
     * unavailable, buffers them instead.
     */
    public Uni<WriteResult> write(List<Attempt> attempts) {
        if (attempts.isEmpty()) {
            return Uni.createFrom().item(new WriteResult(List.of(), false));
        }
        if (!database.isHealthy()) {
            return Uni.createFrom().item(() -> buffer(attempts));
        }
        Uni<List<StoredAttempt>> committed = Uni.createFrom().emitter(emitter -> {
            queue.add(new Pending(attempts, emitter));
            writeNextBatch();
        });
        return committed.map(stored -> new WriteResult(stored, false))
                .onFailure().recoverWithItem(failure -> {
                    database.markUnavailable(failure);
                    return buffer(attempts);
                });
    }

    private WriteResult buffer(List<Attempt> attempts) {
        if (!buffer.offer(attempts)) {
            throw ProblemException.unavailable("The database is unavailable and the write-behind buffer is full ("
                    + config.bufferCapacity() + " attempts); keep the attempts and retry", RETRY_AFTER);
        }
        return new WriteResult(List.of(), true);
    }

    /** Writes what the buffer holds, batch after batch, as soon as the database answers again. */
    @Scheduled(every = "${timeout-policy.history.buffer-flush-interval:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> flushBuffer() {
        if (buffer.size() == 0 || !database.isSchemaReady()) {
            return Uni.createFrom().voidItem();
        }
        List<Attempt> batch = unique(buffer.take(config.maxBatchRows()));
        return repository.insert(batch)
                .invoke(stored -> {
                    view.record(stored);
                    database.markAvailable();
                    Log.infof("Wrote %d buffered attempts (%d new); %d still buffered", batch.size(), stored.size(),
                            buffer.size());
                })
                .chain(stored -> flushBuffer())
                .onFailure().recoverWithUni(failure -> {
                    buffer.putBack(batch);
                    database.markUnavailable(failure);
                    return Uni.createFrom().voidItem();
                });
    }

    /** On graceful shutdown the buffer is written if the database allows, never silently dropped. */
    void onShutdown(@Observes ShutdownEvent event) {
        if (buffer.size() == 0) {
            return;
        }
        try {
            flushBuffer().await().atMost(config.shutdownFlushTimeout());
        } catch (RuntimeException e) {
            Log.errorf("Shutting down with %d attempts not written: %s", buffer.size(), e.getMessage());
        }
        if (buffer.size() > 0) {
            Log.errorf("Shutting down with %d attempts not written (database unavailable)", buffer.size());
        }
    }

    private static List<Attempt> unique(List<Attempt> attempts) {
        Set<UUID> ids = new HashSet<>();
        return attempts.stream().filter(a -> ids.add(a.id())).toList();
    }

    private void writeNextBatch() {
        int current;
        do {
            current = writing.get();
            if (current >= config.writerConcurrency()) {
                return;
            }
        } while (!writing.compareAndSet(current, current + 1));
        List<Pending> batch = takeBatch();
        if (batch.isEmpty()) {
            writing.decrementAndGet();
            // A request may have queued between the take and the decrement.
            if (!queue.isEmpty()) {
                writeNextBatch();
            }
            return;
        }
        List<Attempt> rows = new ArrayList<>();
        Set<UUID> ids = new HashSet<>();
        // The same id from two requests in one batch: the first is written, the second is a duplicate.
        batch.forEach(p -> p.attempts().stream().filter(a -> ids.add(a.id())).forEach(rows::add));
        batches.increment();
        batchRows.record(rows.size());
        repository.insert(rows).subscribe().with(
                stored -> {
                    answer(batch, stored);
                    writeNextAfter();
                },
                failure -> {
                    batch.forEach(p -> p.emitter().fail(failure));
                    writeNextAfter();
                });
    }

    private void writeNextAfter() {
        writing.decrementAndGet();
        if (!queue.isEmpty()) {
            writeNextBatch();
        }
    }

    private List<Pending> takeBatch() {
        List<Pending> batch = new ArrayList<>();
        int rows = 0;
        synchronized (queue) {
            Pending next;
            while ((next = queue.peek()) != null
                    && (batch.isEmpty() || rows + next.attempts().size() <= config.maxBatchRows())) {
                batch.add(queue.poll());
                rows += next.attempts().size();
            }
        }
        return batch;
    }

    /** Each request gets the rows that were new and its own (the first request naming an id owns it). */
    private static void answer(List<Pending> batch, List<StoredAttempt> stored) {
        Map<UUID, StoredAttempt> byId = new HashMap<>();
        stored.forEach(s -> byId.put(s.attempt().id(), s));
        for (Pending pending : batch) {
            List<StoredAttempt> own = new ArrayList<>();
            for (Attempt attempt : pending.attempts()) {
                StoredAttempt s = byId.remove(attempt.id());
                if (s != null) {
                    own.add(s);
                }
            }
            pending.emitter().complete(own);
        }
    }
}
