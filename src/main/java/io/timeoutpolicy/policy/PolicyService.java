package io.timeoutpolicy.policy;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.timeoutpolicy.platform.ServiceClock;
import io.timeoutpolicy.platform.database.DatabaseStatus;
import io.timeoutpolicy.platform.http.ETags;
import io.timeoutpolicy.platform.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Reading and writing policies: optimistic concurrency with If-Match on top of the versioned store,
 * and the in-memory store kept in step with every local write.
 */
@ApplicationScoped
public class PolicyService {

    /** A policy just written, and whether it created its environment. */
    public record Written(EnvironmentPolicy policy, boolean created) {
    }

    private final PolicyRepository repository;
    private final PolicyStore store;
    private final DatabaseStatus status;
    private final ServiceClock clock;

    PolicyService(PolicyRepository repository, PolicyStore store, DatabaseStatus status, ServiceClock clock) {
        this.repository = repository;
        this.store = store;
        this.status = status;
        this.clock = clock;
    }

    /** The current policy, from PostgreSQL when it answers (another replica may have changed it), else memory. */
    public Uni<EnvironmentPolicy> current(String rawEnvironment) {
        String environment = PolicyStore.normalize(rawEnvironment);
        return repository.findCurrent(environment)
                .invoke(status::markAvailable)
                .onFailure().recoverWithItem(failure -> {
                    status.markUnavailable(failure);
                    return store.find(environment);
                })
                .map(found -> found.orElseThrow(() -> store.unknown(environment)))
                .invoke(store::remember);
    }

    public Uni<List<EnvironmentPolicy>> versions(String rawEnvironment) {
        String environment = PolicyStore.normalize(rawEnvironment);
        return repository.findVersions(environment).invoke(versions -> {
            if (versions.isEmpty()) {
                throw store.unknown(environment);
            }
        });
    }

    /** Creates (no If-Match) or replaces (If-Match naming the current version) an environment's policy. */
    public Uni<Written> put(String rawEnvironment, String ifMatch, PolicyRequest body, String writer) {
        String environment = PolicyStore.normalize(rawEnvironment);
        if (body == null) {
            throw ProblemException.badRequest("A JSON policy document is required");
        }
        return repository.findCurrent(environment).chain(existing -> existing.isPresent()
                ? replace(existing.get(), ifMatch, body, writer)
                : create(environment, ifMatch, body, writer));
    }

    private Uni<Written> create(String environment, String ifMatch, PolicyRequest body, String writer) {
        if (ifMatch != null) {
            throw ProblemException.preconditionFailed("Environment '" + environment
                    + "' has no policy yet; create it without If-Match");
        }
        PolicyAssembler.Result result = PolicyAssembler.create(environment, body);
        requireValid(result);
        return insert(result.policy().asVersion(1, now(), writer), true);
    }

    private Uni<Written> replace(EnvironmentPolicy current, String ifMatch, PolicyRequest body, String writer) {
        if (ifMatch == null) {
            throw ProblemException.preconditionRequired("Replacing the policy of '" + current.environment()
                    + "' needs If-Match with its current version: If-Match: " + ETags.of(current.version()));
        }
        if (!ETags.matches(ifMatch, current.version())) {
            throw stale(current);
        }
        PolicyAssembler.Result result = PolicyAssembler.replace(body, current);
        requireValid(result);
        return insert(result.policy().asVersion(current.version() + 1, now(), writer), false);
    }

    private Uni<Written> insert(EnvironmentPolicy policy, boolean created) {
        return repository.insertVersion(policy).map(inserted -> {
            if (!inserted) {
                throw ProblemException.preconditionFailed("The policy of '" + policy.environment()
                        + "' was changed concurrently; read it again and retry");
            }
            store.remember(policy);
            Log.infof("Policy of %s is now version %d (written by %s)", policy.environment(), policy.version(),
                    policy.updatedBy());
            return new Written(policy, created);
        });
    }

    private static void requireValid(PolicyAssembler.Result result) {
        if (!result.isValid()) {
            throw ProblemException.invalid("The policy has " + result.errors().size() + " invalid field(s)",
                    result.errors());
        }
    }

    private static ProblemException stale(EnvironmentPolicy current) {
        return ProblemException.preconditionFailed("If-Match does not name the current version of '"
                + current.environment() + "', which is " + ETags.of(current.version()));
    }

    private Instant now() {
        return clock.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
