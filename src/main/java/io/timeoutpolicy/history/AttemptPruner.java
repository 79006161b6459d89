package io.timeoutpolicy.history;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.timeoutpolicy.platform.ServiceClock;
import io.timeoutpolicy.platform.database.DatabaseStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.stream.Collectors;

/**
 * Deletes attempts older than the retention period, series by series and a bounded batch per statement, so
 * that no statement holds locks for long and requests never wait behind it. Replicas may prune concurrently: deletes of
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

    @Scheduled(every = "${timeout-policy.history.prune-interval}", delayed = "${timeout-policy.history.prune-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> prune() {
        if (!database.isHealthy()) {
            return Uni.createFrom().voidItem();
        }
        Instant cutoff = clock.now().minus(config.retention());
        return repository.seriesKeys()
                .chain(keys -> Multi.createFrom().iterable(keys)
                        .onItem().transformToUniAndConcatenate(key -> pruneBefore(key, cutoff, 0L))
                        .collect().with(Collectors.summingLong(Long::longValue)))
                .invoke(total -> {
                    if (total > 0) {
                        Log.infof("Pruned %d attempts older than %s", total, cutoff);
                    }
                })
                .onFailure().invoke(failure -> Log.warnf("Pruning stopped: %s", failure.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Deletes batch after batch of one series until a batch comes back short; answers how many. */
    Uni<Long> pruneBefore(SeriesKey key, Instant cutoff, long deletedSoFar) {
        return repository.pruneBatch(key, cutoff, config.pruneBatchSize()).chain(deleted -> {
            long total = deletedSoFar + deleted;
            return deleted == config.pruneBatchSize() ? pruneBefore(key, cutoff, total)
                    : Uni.createFrom().item(total);
        });
    }
}
