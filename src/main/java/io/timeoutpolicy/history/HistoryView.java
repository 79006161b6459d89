package io.timeoutpolicy.history;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.timeoutpolicy.platform.DatabaseStatus;
import io.timeoutpolicy.platform.ProblemException;
import io.timeoutpolicy.platform.ServiceClock;
import io.timeoutpolicy.policy.EnvironmentPolicy;
import io.timeoutpolicy.policy.Operation;
import io.timeoutpolicy.policy.PolicyStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every environment's recent attempts, in memory (SPEC 7), so that timeouts, metrics and analysis never
 * wait on the database. Local writes land here as soon as they are committed; attempts written by other
 * replicas arrive with the periodic refresh; after a start the whole horizon is loaded from PostgreSQL.
 */
@ApplicationScoped
public class HistoryView {

    private static final int NO_SERVICE = 0;

    private final Map<String, AttemptSeries> series = new ConcurrentHashMap<>();
    private final Map<String, Integer> serviceIds = new ConcurrentHashMap<>();
    private final AtomicInteger nextServiceId = new AtomicInteger(1);
    /** Attempts recently written (seq → received_at µs), so that a refresh never counts one twice. */
    private final Map<Long, Long> recentlySeen = new ConcurrentHashMap<>();
    private final AttemptRepository repository;
    private final PolicyStore policies;
    private final DatabaseStatus database;
    private final ServiceClock clock;
    private final HistoryConfig config;
    private volatile boolean loaded;
    private volatile Instant lastRefresh;
    private volatile Duration horizon;

    HistoryView(AttemptRepository repository, PolicyStore policies, DatabaseStatus database, ServiceClock clock,
            HistoryConfig config, MeterRegistry registry) {
        this.repository = repository;
        this.policies = policies;
        this.database = database;
        this.clock = clock;
        this.config = config;
        this.horizon = config.horizon();
        Gauge.builder("timeout_policy.history.refresh.lag", this, HistoryView::refreshLagSeconds)
                .description("Seconds since the in-memory history last caught up with PostgreSQL")
                .baseUnit("seconds").register(registry);
    }

    private double refreshLagSeconds() {
        Instant last = lastRefresh;
        return last == null ? Double.NaN : Math.max(0, Duration.between(last, Instant.now()).toMillis() / 1000.0);
    }

    /**
     * Adds attempts this replica just stored. Refreshes never bring them back (they read other replicas'
     * writes only); only while the first load runs could one arrive twice, so only then are they marked.
     */
    public void record(List<StoredAttempt> stored) {
        stored.stream()
                .sorted(Comparator.comparing((StoredAttempt s) -> s.attempt().occurredAt())
                        .thenComparingLong(StoredAttempt::seq))
                .forEach(s -> {
                    if (loaded) {
                        addToSeries(s);
                    } else {
                        recordOne(s);
                    }
                });
    }

    private void recordOne(StoredAttempt stored) {
        if (recentlySeen.putIfAbsent(stored.seq(), Micros.of(stored.receivedAt())) != null) {
            return;
        }
        addToSeries(stored);
    }

    /** True once the history in PostgreSQL has been loaded; answers before that are degraded. */
    public boolean isLoaded() {
        return loaded;
    }

    /** How far back memory reaches; query windows may not exceed it. */
    public Duration horizon() {
        return horizon;
    }

    /** A 400 unless {@code window} is within the history kept in memory. */
    public Duration requireWithinHorizon(Duration window, String field) {
        if (window.compareTo(Duration.ofMinutes(1)) < 0 || window.compareTo(horizon) > 0) {
            throw ProblemException.invalidField(field, "must be between PT1M and " + horizon
                    + " (the history kept in memory, timeout-policy.history.horizon)");
        }
        return window;
    }

    /** The attempts of one environment and operation in the last {@code window}. */
    public WindowStats window(String environment, Operation operation, Duration window, String service,
            boolean withQuantiles) {
        AttemptSeries s = series.get(key(environment, operation));
        if (s == null) {
            return WindowStats.EMPTY;
        }
        long after = Micros.of(clock.now().minus(window));
        if (service == null) {
            return s.window(after, null, withQuantiles);
        }
        Integer id = serviceIds.get(service);
        return id == null ? WindowStats.EMPTY : s.window(after, candidate -> candidate == id, withQuantiles);
    }

    /** The {@code connection} history of SPEC 4.2 in the policy's window. */
    public ConnectionHistory connectionHistory(EnvironmentPolicy policy) {
        return window(policy.environment(), Operation.CONNECTION, policy.adaptive().historyWindow(), null, false)
                .connectionHistory();
    }

    /** Successful attempts of an operation in the window: their number and a quantile of their durations. */
    public SuccessfulDurations successfulDurations(String environment, Operation operation,
            Duration window, double quantile) {
        AttemptSeries s = series.get(key(environment, operation));
        if (s == null) {
            return new SuccessfulDurations(0, 0.0);
        }
        return s.successfulDurations(Micros.of(clock.now().minus(window)), quantile);
    }

    /** The failure streak of an operation's attempts in the window (SPEC 4.6). */
    public FailureStreak failureStreak(String environment, Operation operation, Duration window) {
        AttemptSeries s = series.get(key(environment, operation));
        return s == null ? FailureStreak.NONE : s.failureStreak(Micros.of(clock.now().minus(window)));
    }

    /** The attempts of an operation with {@code from <= occurred_at < to}, with quantiles. */
    public WindowStats range(String environment, Operation operation, Instant from, Instant to) {
        AttemptSeries s = series.get(key(environment, operation));
        return s == null ? WindowStats.EMPTY : s.range(Micros.of(from), Micros.of(to), null, true);
    }

    /** Candidate timeout against the recorded attempts of an operation in the window. */
    public SimulationTotals simulate(String environment, Operation operation, Duration window,
            double candidateSeconds) {
        AttemptSeries s = series.get(key(environment, operation));
        return s == null ? new SimulationTotals()
                : s.simulate(Micros.of(clock.now().minus(window)), candidateSeconds);
    }

    /** Loads the whole horizon from PostgreSQL; called once the schema is there, and when the horizon grows. */
    public Uni<Void> load() {
        Duration wanted = wantedHorizon();
        return repository.databaseNow().chain(databaseNow -> {
            long lookbackStart = Micros.of(databaseNow.minus(config.refreshLookback()));
            return repository.occurredSince(databaseNow.minus(wanted), stored -> {
                // Recent rows may also arrive as local writes or through refresh: count those once.
                if (Micros.of(stored.receivedAt()) <= lookbackStart) {
                    addToSeries(stored);
                } else {
                    recordOne(stored);
                }
            }).invoke(count -> {
                lastRefresh = databaseNow;
                horizon = wanted;
                loaded = true;
                Log.infof("History loaded: %d attempts of the last %s", count, wanted);
            });
        }).replaceWithVoid();
    }

    @Scheduled(every = "${timeout-policy.history.refresh-interval:2s}", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        if (!loaded) {
            return Uni.createFrom().voidItem();
        }
        if (wantedHorizon().compareTo(horizon) > 0) {
            return reload();
        }
        Instant since = lastRefresh.minus(config.refreshLookback());
        return repository.receivedSince(since)
                .invoke(changes -> {
                    changes.attempts().forEach(this::recordOne);
                    lastRefresh = changes.databaseNow();
                    forgetSeenBefore(Micros.of(since.minus(config.refreshLookback())));
                    database.markAvailable();
                })
                .onFailure().invoke(database::markUnavailable)
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Forgets everything in memory and loads the horizon again, as after a restart. */
    public Uni<Void> reload() {
        Log.infof("A policy window exceeds the history in memory (%s); reloading", horizon);
        series.clear();
        recentlySeen.clear();
        loaded = false;
        return load();
    }

    @Scheduled(every = "30s", delayed = "30s")
    void expire() {
        long cutoff = Micros.of(clock.now().minus(horizon));
        series.values().forEach(s -> s.expireBefore(cutoff));
    }

    private void forgetSeenBefore(long micros) {
        recentlySeen.values().removeIf(receivedAt -> receivedAt < micros);
    }

    /** The configured horizon, or the longest policy window when that is longer. */
    private Duration wantedHorizon() {
        return policies.all().stream().map(p -> p.adaptive().historyWindow())
                .reduce(config.horizon(), (a, b) -> a.compareTo(b) >= 0 ? a : b);
    }

    private void addToSeries(StoredAttempt stored) {
        Attempt a = stored.attempt();
        seriesOf(a.environment(), a.operation()).add(stored, serviceId(a.service()));
    }

    private AttemptSeries seriesOf(String environment, Operation operation) {
        return series.computeIfAbsent(key(environment, operation), k -> new AttemptSeries());
    }

    private int serviceId(String service) {
        return service == null ? NO_SERVICE
                : serviceIds.computeIfAbsent(service, s -> nextServiceId.getAndIncrement());
    }

    private static String key(String environment, Operation operation) {
        return environment + '/' + operation.wireName();
    }
}
