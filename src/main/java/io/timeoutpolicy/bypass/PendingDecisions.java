package io.timeoutpolicy.bypass;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.timeoutpolicy.platform.database.BoundedBuffer;
import io.timeoutpolicy.platform.database.DatabaseStatus;
import io.timeoutpolicy.platform.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Decisions taken while the database is unavailable (SPEC 4.5): answered at once, kept here, and stored as
 * soon as the database is back (and on graceful shutdown), in the order they were taken; never silently lost.
 */
@ApplicationScoped
public class PendingDecisions {

    static final int CAPACITY = 10_000;
    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(10);

    private final BoundedBuffer<BypassDecision> pending = new BoundedBuffer<>(CAPACITY);
    private final DecisionRepository repository;
    private final DatabaseStatus database;

    PendingDecisions(DecisionRepository repository, DatabaseStatus database) {
        this.repository = repository;
        this.database = database;
    }

    /** Stores a decision now, or keeps it for later when the database cannot take it. */
    public Uni<BypassDecision> store(BypassDecision decision) {
        if (!database.isHealthy()) {
            return Uni.createFrom().item(() -> keep(decision));
        }
        return repository.insert(decision).replaceWith(decision).onFailure().recoverWithItem(failure -> {
            database.markUnavailable(failure);
            return keep(decision);
        });
    }

    /** A decision not yet stored, for GET by id while the database is away. */
    public Optional<BypassDecision> find(UUID id) {
        return pending.snapshot().stream().filter(d -> d.id().equals(id)).findFirst();
    }

    private BypassDecision keep(BypassDecision decision) {
        if (!pending.offer(List.of(decision))) {
            throw ProblemException.unavailable("The database is unavailable and " + CAPACITY
                    + " decisions already wait for it; retry", RETRY_AFTER);
        }
        Log.warnf("Decision %s kept until the database is back (%d waiting)", decision.id(), pending.size());
        return decision;
    }

    @Scheduled(every = "${timeout-policy.history.buffer-flush-interval:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> flush() {
        if (pending.size() == 0 || !database.isSchemaReady()) {
            return Uni.createFrom().voidItem();
        }
        List<BypassDecision> batch = pending.take(100);
        return Multi.createFrom().iterable(batch)
                .onItem().transformToUniAndConcatenate(repository::insert)
                .collect().last()
                .invoke(() -> {
                    database.markAvailable();
                    Log.infof("Stored %d decisions taken while the database was unavailable", batch.size());
                })
                .chain(this::flush)
                .onFailure().recoverWithUni(failure -> {
                    // Inserts are idempotent by id: putting back ones already stored is harmless.
                    pending.putBack(batch);
                    database.markUnavailable(failure);
                    return Uni.createFrom().voidItem();
                });
    }

    void onShutdown(@Observes ShutdownEvent event) {
        if (pending.size() == 0) {
            return;
        }
        try {
            flush().await().atMost(SHUTDOWN_WAIT);
        } catch (RuntimeException e) {
            Log.errorf("Shutting down with %d decisions not stored: %s", pending.size(), e.getMessage());
        }
    }
}
