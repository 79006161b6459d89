package io.timeoutpolicy.history;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.timeoutpolicy.platform.DatabaseStatus;
import io.timeoutpolicy.platform.ServiceClock;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * Deletes attempts older than the retention period, a bounded batch per statement so that no statement
 * holds locks for long and requests never wait behind it. Replicas may prune concurrently: deletes of
 * the same rows simply find nothing.
 */
@ApplicationScoped
public class AttemptPruner {

    private final AttemptRepository repository;
    private final DatabaseStatus database;
    private final ServiceClock clock;
    private final HistoryConfig config;

    AttemptPruner(AttemptRepository repository, DatabaseStatus database, ServiceClock clock, HistoryConfig config) {
        this.repository = repository;
        this.database = database;
        this.clock = clock;
        this.config = config;
    }

    @Scheduled(every = "${timeout-policy.history.prune-interval:10m}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> prune() {
        if (!database.isHealthy()) {
            return Uni.createFrom().voidItem();
        }
        return pruneBefore(clock.now().minus(config.retention()), 0L);
    }

    /** Deletes batch after batch until a batch comes back short. */
    Uni<Void> pruneBefore(Instant cutoff, long deletedSoFar) {
        return repository.pruneBatch(cutoff, config.pruneBatchSize()).chain(deleted -> {
            long total = deletedSoFar + deleted;
            if (deleted == config.pruneBatchSize()) {
                return pruneBefore(cutoff, total);
            }
            if (total > 0) {
                Log.infof("Pruned %d attempts older than %s", total, cutoff);
            }
            return Uni.createFrom().voidItem();
        }).onFailure().invoke(failure -> Log.warnf("Pruning stopped: %s", failure.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }
}
