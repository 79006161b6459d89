package io.timeoutpolicy.policy;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.timeoutpolicy.platform.database.DatabaseNotifications;
import jakarta.enterprise.event.Observes;
import java.util.HashMap;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import io.smallrye.mutiny.Uni;
import io.timeoutpolicy.platform.ServiceClock;
import io.timeoutpolicy.platform.database.DatabaseStatus;
import io.timeoutpolicy.platform.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The current policy of every environment, in memory, so that answering a timeout request never waits
 * on the database. Starts from the built-in defaults, is replaced by what PostgreSQL holds once it is
 * reachable, and is refreshed periodically to pick up changes made through other replicas.
 */
@ApplicationScoped
public class PolicyStore {

    /** Where replicas tell each other that an environment's versions changed (payload: the environment). */
    static final String CHANNEL = "timeout_policy_policies";

    private final Map<String, EnvironmentPolicy> current = new ConcurrentHashMap<>();
    /** Each environment's candidate (SPEC 10.2), as PostgreSQL last said. */
    private final Map<String, StoredVersion> candidates = new ConcurrentHashMap<>();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final PolicyRepository repository;
    private final DatabaseStatus status;
    private final ServiceClock clock;
    private final DatabaseNotifications notifications;
    private volatile boolean loadedFromDatabase;

    PolicyStore(PolicyRepository repository, DatabaseStatus status, ServiceClock clock,
            DatabaseNotifications notifications) {
        this.repository = repository;
        this.status = status;
        this.clock = clock;
        this.notifications = notifications;
        PolicyDefaults.builtIn(Instant.EPOCH).forEach(this::remember);
    }

    void onStart(@Observes StartupEvent event) {
        notifications.listen(CHANNEL, this::received);
    }

    /** Calls {@code listener} with an environment whenever what it serves may have changed (on the event loop). */
    public void onChange(Consumer<String> listener) {
        listeners.add(listener);
    }

    /** Tells every replica (this one included, through PostgreSQL) that an environment's versions changed. */
    void announce(String environment) {
        fire(environment);
        notifications.announce(CHANNEL, environment).subscribe().with(ignored -> { },
                failure -> Log.debugf("Change of %s not announced: %s", environment, failure));
    }

    /** Reads an environment's current version and candidate again (another replica changed them). */
    Uni<Void> reload(String environment) {
        return repository.findCurrent(environment)
                .invoke(found -> found.ifPresent(this::remember))
                .chain(() -> repository.findCandidate(environment))
                .invoke(found -> rememberCandidate(environment, found))
                .invoke(() -> fire(environment))
                .onFailure().invoke(failure -> Log.debugf("Reloading %s failed: %s", environment, failure))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    private void received(String payload) {
        if (EnvironmentName.normalize(payload).isPresent()) {
            reload(payload).subscribe().with(ignored -> { });
        }
    }

    /** Keeps what PostgreSQL says an environment's candidate is (none: empty). */
    void rememberCandidate(String environment, Optional<StoredVersion> candidate) {
        if (candidate.isPresent()) {
            candidates.put(environment, candidate.get());
        } else {
            candidates.remove(environment);
        }
    }

    private void fire(String environment) {
        listeners.forEach(listener -> listener.accept(environment));
    }

    /** Seeds the defaults where the database has none, then loads every current policy and candidate. */
    public Uni<Void> seedAndLoad() {
        return repository.seed(PolicyDefaults.builtIn(clock.now().truncatedTo(ChronoUnit.MILLIS)))
                .chain(repository::findAllCurrent)
                .invoke(this::load)
                .chain(repository::findAllCandidates)
                .invoke(this::loadCandidates)
                .replaceWithVoid();
    }

    @Scheduled(every = "${timeout-policy.policies.refresh-interval}", delayed = "${timeout-policy.policies.refresh-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        if (!status.isSchemaReady()) {
            return Uni.createFrom().voidItem();
        }
        return repository.findAllCurrent()
                .invoke(this::load)
                .chain(repository::findAllCandidates)
                .invoke(this::loadCandidates)
                .invoke(status::markAvailable)
                .onFailure().invoke(status::markUnavailable)
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    private void load(List<EnvironmentPolicy> policies) {
        policies.forEach(policy -> {
            EnvironmentPolicy before = current.get(policy.environment());
            remember(policy);
            if (before != null && before.version() != policy.version()) {
                fire(policy.environment());
            }
        });
        loadedFromDatabase = true;
    }

    /** Candidates as PostgreSQL holds them now: one promoted, aborted or rolled back elsewhere is gone. */
    private void loadCandidates(List<StoredVersion> found) {
        Map<String, StoredVersion> now = new HashMap<>();
        found.forEach(candidate -> now.put(candidate.environment(), candidate));
        for (String environment : Set.copyOf(candidates.keySet())) {
            if (!now.containsKey(environment)) {
                candidates.remove(environment);
                fire(environment);
            }
        }
        now.forEach((environment, candidate) -> {
            StoredVersion before = candidates.put(environment, candidate);
            if (before == null || before.version() != candidate.version()) {
                fire(environment);
            }
        });
    }

    /** Whether any environment has a candidate: the recording path's cheap way out. */
    public boolean hasCandidates() {
        return !candidates.isEmpty();
    }

    /** An environment's candidate, if it has one. */
    public Optional<StoredVersion> candidate(String environment) {
        return Optional.ofNullable(candidates.get(environment));
    }

    /**
     * The policy an instance is served (SPEC 10.2): a canary's candidate when the instance is in its cohort, else
     * the current one. Without an instance, always the current one.
     */
    public EnvironmentPolicy servedTo(String rawEnvironment, String instance) {
        EnvironmentPolicy policy = require(rawEnvironment);
        StoredVersion candidate = candidates.get(policy.environment());
        if (candidate == null || instance == null
                || !Canary.inCohort(policy.environment(), instance, candidate.rollout().servedPercent())) {
            return policy;
        }
        return candidate.policy();
    }

    /** Keeps a policy unless a newer version of its environment is known already. */
    public void remember(EnvironmentPolicy policy) {
        current.merge(policy.environment(), policy, (known, given) -> given.version() >= known.version() ? given : known);
    }

    /** True once the policies come from PostgreSQL rather than the built-in defaults. */
    public boolean isLoadedFromDatabase() {
        return loadedFromDatabase;
    }

    public Optional<EnvironmentPolicy> find(String environment) {
        return Optional.ofNullable(current.get(environment));
    }

    public List<EnvironmentPolicy> all() {
        return current.values().stream()
                .sorted(Comparator.comparing(EnvironmentPolicy::environment))
                .toList();
    }

    public List<String> known() {
        return all().stream().map(EnvironmentPolicy::environment).toList();
    }

    /** The policy of an environment named in a path: 400 for a malformed name, 404 naming the known ones. */
    public EnvironmentPolicy require(String rawEnvironment) {
        String environment = normalize(rawEnvironment);
        return find(environment).orElseThrow(() -> unknown(environment));
    }

    /** A well-formed environment name, lower-case, or a 400. */
    public static String normalize(String rawEnvironment) {
        return EnvironmentName.normalize(rawEnvironment).orElseThrow(() -> ProblemException.invalidField(
                "environment", "must match " + EnvironmentName.FORM + " (case-insensitive)"));
    }

    public ProblemException unknown(String environment) {
        return ProblemException.notFound("unknown-environment", "Unknown environment '" + environment
                + "'; known environments: " + String.join(", ", known()));
    }
}
