package io.timeoutpolicy.policy;

import io.quarkus.scheduler.Scheduled;
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

    private final Map<String, EnvironmentPolicy> current = new ConcurrentHashMap<>();
    private final PolicyRepository repository;
    private final DatabaseStatus status;
    private final ServiceClock clock;
    private volatile boolean loadedFromDatabase;

    PolicyStore(PolicyRepository repository, DatabaseStatus status, ServiceClock clock) {
        this.repository = repository;
        this.status = status;
        this.clock = clock;
        PolicyDefaults.builtIn(Instant.EPOCH).forEach(this::remember);
    }

    /** Seeds the defaults where the database has none, then loads every current policy. */
    public Uni<Void> seedAndLoad() {
        return repository.seed(PolicyDefaults.builtIn(clock.now().truncatedTo(ChronoUnit.MILLIS)))
                .chain(repository::findAllCurrent)
                .invoke(this::load)
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
                .invoke(status::markAvailable)
                .onFailure().invoke(status::markUnavailable)
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    private void load(List<EnvironmentPolicy> policies) {
        policies.forEach(this::remember);
        loadedFromDatabase = true;
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
