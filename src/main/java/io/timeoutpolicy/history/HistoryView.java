package io.timeoutpolicy.history;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.timeoutpolicy.platform.ServiceClock;
import io.timeoutpolicy.platform.problem.ProblemException;
import io.timeoutpolicy.policy.EnvironmentPolicy;
import io.timeoutpolicy.policy.InputLimits;
import io.timeoutpolicy.policy.Operation;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every environment's recent attempts, in memory (SPEC 7), so that timeouts, metrics and analysis never
 * wait on the database: the query side. Local writes land here as soon as they are stored; what other
 * replicas write and what PostgreSQL held before the start arrive through {@link HistoryReplication}.
 */
@ApplicationScoped
public class HistoryView {

    private final Map<SeriesKey, AttemptSeries> series = new ConcurrentHashMap<>();
    /** Per environment, the service names its attempts in memory carry (at most the configured cap each). */
    private final Map<String, ServiceNames> services = new ConcurrentHashMap<>();
    private final AtomicInteger nextServiceId = new AtomicInteger(1);
    private final int servicesPerEnvironment;
    private final AtomicLong nextProvisionalSeq = new AtomicLong();
    private final ServiceClock clock;
    /** How far back memory reaches (what expiry keeps); query windows may not exceed it. */
    private volatile Duration horizon;
    /** How far back memory is complete: nothing before the first catch-up, the old horizon while it grows. */
    private volatile Duration completeHorizon = Duration.ZERO;
    private final Duration retryAfter;

    HistoryView(ServiceClock clock, HistoryConfig config, MeterRegistry registry) {
        this.clock = clock;
        this.horizon = config.horizon();
        this.retryAfter = config.catchUp().retryAfter();
        this.servicesPerEnvironment = config.servicesPerEnvironment();
        Gauge.builder("timeout_policy.history.attempts", this, HistoryView::attemptsHeld)
                .description("Attempts held in memory, every series").register(registry);
        Gauge.builder("timeout_policy.history.heap", this, HistoryView::heapBytes).baseUnit("bytes")
                .description("Heap taken by the attempts held in memory (their columns)").register(registry);
        Gauge.builder("timeout_policy.history.service_names", this, HistoryView::serviceNamesHeld)
                .description("Service names held in memory, every environment (at most"
                        + " timeout-policy.history.services-per-environment each)").register(registry);
    }

    /** Adds attempts this replica just stored; one already held (by seq) counts once. */
    public void record(List<StoredAttempt> stored) {
        stored.forEach(this::add);
    }

    /**
     * Attempts accepted while the database is unavailable, each under a provisional seq of this replica
     * (negative, so it never meets a stored one) until {@link #settle} gives it the seq PostgreSQL assigns.
     */
    public List<Provisional> provisional(List<Attempt> attempts) {
        return attempts.stream().map(a -> new Provisional(a, nextProvisionalSeq.decrementAndGet())).toList();
    }

    /** Adds attempts not stored yet, so that they count at once (SPEC 7). */
    public void recordProvisional(List<Provisional> held) {
        for (Provisional p : held) {
            Attempt a = p.attempt();
            long at = Micros.of(a.occurredAt());
            seriesOf(key(a.environment(), a.operation())).add(at, p.seq(), a.durationSeconds(),
                    a.timeoutSeconds(), a.success(), a.violation(), serviceId(a.environment(), a.service(), at));
        }
    }

    /**
     * Attempts held under provisional seqs have been written; {@code stored} has each as PostgreSQL holds it,
     * by id (written now, or earlier: a retry). Memory then knows each by its stored seq, once. Answers how
     * many memory held already under their stored seq (retries of attempts recorded before).
     */
    public int settle(List<Provisional> held, Map<UUID, StoredAttempt> stored) {
        Map<SeriesKey, List<Settlement>> bySeries = new HashMap<>();
        for (Provisional p : held) {
            Attempt a = p.attempt();
            StoredAttempt written = stored.get(a.id());
            bySeries.computeIfAbsent(key(a.environment(), a.operation()), k -> new ArrayList<>())
                    .add(new Settlement(a, p.seq(), written, settledServiceId(a, written)));
        }
        int twins = 0;
        for (Map.Entry<SeriesKey, List<Settlement>> e : bySeries.entrySet()) {
            twins += seriesOf(e.getKey()).settle(e.getValue());
        }
        return twins;
    }

    /** True once memory holds the whole window {@code window}; answers from a shorter one are degraded. */
    public boolean isComplete(Duration window) {
        return window.compareTo(completeHorizon) <= 0;
    }

    /**
     * A 503 with Retry-After unless memory holds the whole {@code window}: metrics, analysis, assessment,
     * trend and simulation never answer from part of a history (SPEC 7), and never claim no data for attempts
     * that exist but are not read yet.
     */
    public void requireComplete(Duration window) {
        if (!isComplete(window)) {
            throw ProblemException.historyIncomplete("The history of the last " + window + " is still being read"
                    + " from PostgreSQL (progress: timeout_policy_history_loaded_attempts on /q/metrics); an answer"
                    + " now would miss attempts that exist", retryAfter);
        }
    }

    /** True once the first catch-up after the start has finished. */
    public boolean isLoaded() {
        return completeHorizon.compareTo(Duration.ZERO) > 0;
    }

    /** How far back memory reaches; query windows may not exceed it. */
    public Duration horizon() {
        return horizon;
    }

    /** A 400 unless {@code window} is within the history kept in memory. */
    public Duration requireWithinHorizon(Duration window, String field) {
        if (window.compareTo(InputLimits.MIN_WINDOW) < 0 || window.compareTo(horizon) > 0) {
            throw ProblemException.invalidField(field, "must be between PT1M and " + horizon
                    + " (the history kept in memory, timeout-policy.history.horizon)");
        }
        return window;
    }

    long attemptsHeld() {
        return series.values().stream().mapToLong(AttemptSeries::size).sum();
    }

    long heapBytes() {
        return series.values().stream().mapToLong(AttemptSeries::heapBytes).sum();
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
        ServiceNames names = services.get(environment);
        if (names == null) {
            return WindowStats.EMPTY;
        }
        if (names.maybeUntracked(service, after)) {
            throw ProblemException.serviceNotTracked("Environment '" + environment + "' has had more than "
                    + names.cap() + " distinct service names in memory within the last " + window + " (the cap"
                    + " timeout-policy.history.services-per-environment); the attempts of the names beyond it,"
                    + " possibly '" + service + "', count for the environment but not per service. Ask without"
                    + " service=, or for a shorter window, or raise the cap");
        }
        int id = names.lookup(service);
        return id < 0 ? WindowStats.EMPTY : s.window(after, candidate -> candidate == id, withQuantiles);
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
            return new SuccessfulDurations(0, 0.0, 0.0);
        }
        return s.successfulDurations(Micros.of(clock.now().minus(window)), quantile);
    }

    /** The failure streak of an operation's attempts in the window that ends at {@code now} (SPEC 4.6). */
    public FailureStreak failureStreak(String environment, Operation operation, Duration window, Instant now) {
        AttemptSeries s = series.get(key(environment, operation));
        return s == null ? FailureStreak.NONE : s.failureStreak(Micros.of(now.minus(window)));
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

    /** The attempts of an operation in the window against each of {@code limits} (SPEC 10.1). */
    public Backtest backtest(String environment, Operation operation, Duration window, double... limits) {
        AttemptSeries s = series.get(key(environment, operation));
        return s == null ? new Backtest(limits) : s.backtest(Micros.of(clock.now().minus(window)), limits);
    }

    @Scheduled(every = "30s", delayed = "30s")
    void expire() {
        long cutoff = Micros.of(clock.now().minus(horizon));
        series.values().forEach(s -> s.expireBefore(cutoff));
        // After the series: a name whose newest attempt is older than the cut-off is referred to by none now.
        services.values().forEach(names -> names.expire(cutoff));
    }

    long serviceNamesHeld() {
        return services.values().stream().mapToLong(ServiceNames::size).sum();
    }

    // --- What HistoryReplication uses to fill memory ---

    /** Memory will keep {@code wanted}; it is complete for it once the catch-up says so. */
    void extendHorizon(Duration wanted) {
        horizon = wanted;
    }

    void markComplete(Duration window) {
        completeHorizon = window;
    }

    /** Every series kept so far starts a journal of what arrives while a catch-up refills it. */
    void startJournals() {
        series.values().forEach(AttemptSeries::startJournal);
    }

    Set<SeriesKey> seriesKeys() {
        return Set.copyOf(series.keySet());
    }

    /** Fresh copies of a series are filled apart and then adopted by the series in place. */
    AttemptSeries seriesOf(SeriesKey key) {
        return series.computeIfAbsent(key, k -> new AttemptSeries());
    }

    /** Adds an attempt another replica wrote, or this one; false when memory held it already. */
    boolean add(StoredAttempt stored) {
        Attempt a = stored.attempt();
        return seriesOf(new SeriesKey(a.environment(), a.operation())).add(stored,
                serviceId(a.environment(), a.service(), Micros.of(a.occurredAt())));
    }

    /** The id an attempt of {@code service} in {@code environment} that occurred at {@code atMicros} carries. */
    int serviceId(String environment, String service, long atMicros) {
        if (service == null) {
            return ServiceNames.NO_SERVICE;
        }
        return services.computeIfAbsent(environment, e -> new ServiceNames(servicesPerEnvironment, nextServiceId))
                .idOf(service, atMicros);
    }

    /** A settled attempt keeps its name until the later of its held and stored occurred_at leaves the window. */
    private int settledServiceId(Attempt held, StoredAttempt stored) {
        long at = Micros.of(held.occurredAt());
        if (stored != null) {
            at = Math.max(at, Micros.of(stored.attempt().occurredAt()));
        }
        return serviceId(held.environment(), held.service(), at);
    }

    private static SeriesKey key(String environment, Operation operation) {
        return new SeriesKey(environment, operation);
    }
}
