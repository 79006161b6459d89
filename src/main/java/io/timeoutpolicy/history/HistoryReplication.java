package io.timeoutpolicy.history;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.timeoutpolicy.platform.ServiceClock;
import io.timeoutpolicy.platform.database.DatabaseStatus;
import io.timeoutpolicy.policy.PolicyStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Fills the in-memory view from PostgreSQL and keeps it in step with the other replicas.
 *
 * <p>A <b>catch-up</b> (after the start, and when a policy's window outgrows memory) reads every series in
 * keyset pages along {@code attempts_by_series} into a fresh copy, while the view goes on serving and taking
 * new attempts; each series then adopts its copy together with what arrived meanwhile. An attempt read both
 * ways counts once (memory knows it by its seq), and a failed page is tried again with capped backoff from
 * where it stopped, for as long as it takes.
 *
 * <p>A <b>refresh</b> reads what other replicas wrote since the last one, in pages by receipt, so that even a
 * long outage is caught up statement by statement.
 */
@ApplicationScoped
public class HistoryReplication {

    private final AttemptRepository repository;
    private final HistoryView view;
    private final PolicyStore policies;
    private final DatabaseStatus database;
    private final HistoryConfig config;
    private final CatchUpProgress progress;
    private final ServiceClock clock;
    private final AtomicBoolean catchingUp = new AtomicBoolean();
    /** The database time of the last refresh; null until the first catch-up has begun. */
    private volatile Instant lastRefresh;

    HistoryReplication(AttemptRepository repository, HistoryView view, PolicyStore policies, DatabaseStatus database,
            HistoryConfig config, ServiceClock clock, MeterRegistry registry) {
        this.clock = clock;
        this.repository = repository;
        this.view = view;
        this.policies = policies;
        this.database = database;
        this.config = config;
        this.progress = new CatchUpProgress(config.catchUp().logInterval());
        Gauge.builder("timeout_policy.history.refresh.lag", this, HistoryReplication::refreshLagSeconds)
                .description("Seconds since the in-memory history last caught up with PostgreSQL")
                .baseUnit("seconds").register(registry);
        Gauge.builder("timeout_policy.history.catching_up", progress, p -> p.isRunning() ? 1 : 0)
                .description("1 while a catch-up reads the history from PostgreSQL, else 0").register(registry);
        Gauge.builder("timeout_policy.history.loaded_attempts", progress, CatchUpProgress::attempts)
                .description("Attempts read by the running or last catch-up").register(registry);
        Gauge.builder("timeout_policy.history.loaded_pages", progress, CatchUpProgress::pages)
                .description("Pages read by the running or last catch-up").register(registry);
    }

    /** Attempts the running (or last) catch-up has read so far. */
    public long loadedAttempts() {
        return progress.attempts();
    }

    /**
     * Reads the whole horizon from PostgreSQL into memory; completes when every series is caught up, retrying
     * failures for as long as it takes. A catch-up already running is not started twice.
     */
    public Uni<Void> catchUp() {
        if (!catchingUp.compareAndSet(false, true)) {
            return Uni.createFrom().voidItem();
        }
        Duration wanted = wantedHorizon();
        view.extendHorizon(wanted);
        // Before the cut: whatever reaches memory from now on is journalled, whatever reached it earlier
        // was committed before the cut and so is read by the pages.
        view.startJournals();
        progress.start();
        return retrying("read the database clock", repository::databaseNow)
                .invoke(cut -> {
                    if (lastRefresh == null) {
                        lastRefresh = cut;
                    }
                })
                .chain(cut -> retrying("list the series", repository::seriesKeys)
                        .chain(keys -> catchUpAll(seriesToLoad(keys), Micros.of(cut.minus(wanted)))))
                .invoke(series -> {
                    view.markComplete(wanted);
                    progress.finish(series);
                })
                .replaceWithVoid()
                .eventually(() -> catchingUp.set(false));
    }

    @Scheduled(every = "${timeout-policy.history.refresh-interval}", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        Instant last = lastRefresh;
        if (last == null) {
            return Uni.createFrom().voidItem();
        }
        if (!catchingUp.get() && wantedHorizon().compareTo(view.horizon()) > 0) {
            Log.infof("A policy window exceeds the history in memory (%s); catching up to %s", view.horizon(),
                    wantedHorizon());
            catchUp().subscribe().with(ignored -> { }, failure -> Log.warn("History catch-up failed", failure));
        }
        return refreshPages(last.minus(config.refreshLookback()), Long.MAX_VALUE, null)
                .invoke(now -> {
                    lastRefresh = now;
                    database.markAvailable();
                })
                .onFailure().invoke(database::markUnavailable)
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Pages through what other replicas wrote; answers the database time of the first page. */
    private Uni<Instant> refreshPages(Instant since, long afterSeq, Instant firstLook) {
        int limit = config.refreshPageSize();
        return repository.receivedSince(since, afterSeq, limit).chain(changes -> {
            changes.attempts().forEach(view::add);
            Instant look = firstLook != null ? firstLook : changes.databaseNow();
            if (changes.attempts().size() < limit) {
                return Uni.createFrom().item(look);
            }
            StoredAttempt last = changes.attempts().get(changes.attempts().size() - 1);
            return refreshPages(last.receivedAt(), last.seq(), look);
        });
    }

    /** The series PostgreSQL has, and those memory has (their journals must be adopted too). */
    private List<SeriesKey> seriesToLoad(List<SeriesKey> stored) {
        Set<SeriesKey> keys = new LinkedHashSet<>(stored);
        keys.addAll(view.seriesKeys());
        return List.copyOf(keys);
    }

    private Uni<Integer> catchUpAll(List<SeriesKey> keys, long afterMicros) {
        return Multi.createFrom().iterable(keys)
                .onItem().transformToUniAndConcatenate(key -> catchUpSeries(key, afterMicros))
                .collect().last()
                .replaceWith(keys.size());
    }

    private Uni<Void> catchUpSeries(SeriesKey key, long afterMicros) {
        AttemptSeries fresh = new AttemptSeries();
        return pages(key, fresh, PageEnd.after(afterMicros))
                .invoke(() -> view.seriesOf(key).adopt(fresh, afterMicros + 1));
    }

    private Uni<Void> pages(SeriesKey key, AttemptSeries fresh, PageEnd after) {
        int limit = config.catchUp().pageSize();
        return retrying("read a page of " + key, () -> repository.page(key, after, limit,
                        (at, seq, duration, timeout, success, violation, service) -> fresh.add(at, seq, duration,
                                timeout, success, violation, view.serviceId(key.environment(), service, at))))
                .chain(end -> {
                    database.markAvailable();
                    progress.page(end.count());
                    return end.count() < limit ? Uni.createFrom().voidItem() : pages(key, fresh, end);
                });
    }

    /** Tries {@code call} until it succeeds, waiting longer after each failure up to the configured cap. */
    private <T> Uni<T> retrying(String what, Supplier<Uni<T>> call) {
        return Uni.createFrom().<T>deferred(call::get)
                .onFailure().invoke(failure -> {
                    database.markUnavailable(failure);
                    Log.warnf("History catch-up could not %s, trying again: %s", what, failure.getMessage());
                })
                .onFailure().retry()
                .withBackOff(config.catchUp().retryInitialDelay(), config.catchUp().retryMaxDelay())
                .indefinitely();
    }

    /** The configured horizon, or the longest policy window when that is longer. */
    private Duration wantedHorizon() {
        return policies.all().stream().map(p -> p.adaptive().historyWindow())
                .reduce(config.horizon(), (a, b) -> a.compareTo(b) >= 0 ? a : b);
    }

    private double refreshLagSeconds() {
        Instant last = lastRefresh;
        return last == null ? Double.NaN : Math.max(0, Duration.between(last, clock.now()).toMillis() / 1000.0);
    }
}
