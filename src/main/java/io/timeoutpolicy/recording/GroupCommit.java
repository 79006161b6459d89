package io.timeoutpolicy.recording;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.timeoutpolicy.history.Attempt;
import io.timeoutpolicy.history.AttemptRepository;
import io.timeoutpolicy.history.StoredAttempt;
import io.timeoutpolicy.platform.database.DatabaseFailures;
import io.timeoutpolicy.platform.database.JsonCodec;
import io.timeoutpolicy.platform.database.RejectedRows;
import io.timeoutpolicy.platform.database.WriteBehind;
import jakarta.enterprise.context.ApplicationScoped;
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
 * waits for no timer. Each request is answered once its own rows are committed, or fails with its batch.
 */
@ApplicationScoped
public class GroupCommit {

    private record Pending(List<Attempt> attempts, UniEmitter<? super List<StoredAttempt>> emitter) {
    }

    private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
    /** Batches being written now. */
    private final AtomicInteger writing = new AtomicInteger();
    private final AttemptRepository repository;
    private final RejectedRows rejected;
    private final WriteBehind.Codec<Attempt> attemptJson;
    private final RecordingConfig.GroupCommitSettings settings;
    private final Counter batches;
    private final DistributionSummary batchRows;

    GroupCommit(AttemptRepository repository, RejectedRows rejected, ObjectMapper mapper, RecordingConfig config,
            MeterRegistry registry) {
        this.repository = repository;
        this.rejected = rejected;
        this.attemptJson = JsonCodec.of(mapper, Attempt.class);
        this.settings = config.groupCommit();
        this.batches = Counter.builder("timeout_policy.attempt.batches")
                .description("Group-commit statements written").register(registry);
        this.batchRows = DistributionSummary.builder("timeout_policy.attempt.batch.rows")
                .description("Attempts per group-commit statement").register(registry);
    }

    /** Stores the attempts (ids unique among them) and answers those that were new, as stored. */
    public Uni<List<StoredAttempt>> write(List<Attempt> attempts) {
        if (attempts.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return Uni.createFrom().emitter(emitter -> {
            queue.add(new Pending(attempts, emitter));
            writeNextBatch();
        });
    }

    private void writeNextBatch() {
        int current;
        do {
            current = writing.get();
            if (current >= settings.writerConcurrency()) {
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
        insertSettingAside(rows).subscribe().with(
                stored -> {
                    answer(batch, stored);
                    writeNextAfter();
                },
                failure -> {
                    batch.forEach(p -> p.emitter().fail(failure));
                    writeNextAfter();
                });
    }

    /**
     * Inserts the rows; when PostgreSQL refuses some for their content (SPEC 7), halves the batch until each
     * refused row is alone, sets it aside in {@code rejected_rows} and stores the rest: one bad row never fails
     * the requests batched with it, and is never taken for an outage.
     */
    private Uni<List<StoredAttempt>> insertSettingAside(List<Attempt> rows) {
        return repository.insert(rows).onFailure(DatabaseFailures::isContentError).recoverWithUni(failure -> {
            if (rows.size() == 1) {
                return rejected.setAside("attempts", attemptJson.encode(rows.get(0)),
                        DatabaseFailures.asContentRefused(failure)).replaceWith(List.<StoredAttempt>of());
            }
            int half = rows.size() / 2;
            return insertSettingAside(rows.subList(0, half)).chain(first -> insertSettingAside(
                    rows.subList(half, rows.size())).map(second -> {
                        List<StoredAttempt> both = new ArrayList<>(first);
                        both.addAll(second);
                        return both;
                    }));
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
                    && (batch.isEmpty() || rows + next.attempts().size() <= settings.maxBatchRows())) {
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
