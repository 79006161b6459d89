package io.timeoutpolicy.policy;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.timeoutpolicy.platform.ServiceClock;
import io.timeoutpolicy.platform.database.DatabaseStatus;
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

    /** Every version with its status (SPEC 10.2), newest first. */
    public Uni<List<StoredVersion>> versions(String rawEnvironment) {
        String environment = PolicyStore.normalize(rawEnvironment);
        return repository.findVersionsWithStatus(environment).invoke(versions -> {
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
        CandidateRules.replaceCurrent(ifMatch, new CandidateRules.Heads(current.environment(), current.version(),
                store.candidate(current.environment()).map(StoredVersion::version).orElse(null))).ifPresent(problem -> {
                    throw problem;
                });
        PolicyAssembler.Result result = PolicyAssembler.replace(body, current);
        requireValid(result);
        Instant at = now();
        // Decided again on the locked rows: another replica may have changed them since memory was refreshed.
        return repository.transition(current.environment(), at, writer, heads -> {
            CandidateRules.replaceCurrent(ifMatch, heads).ifPresent(problem -> {
                throw problem;
            });
            return new PolicyRepository.Plan(null, null, heads.current(), null, result.policy(),
                    VersionStatus.CURRENT, null);
        }).map(PolicyRepository.Outcome::versionOrThrow).map(version -> {
            EnvironmentPolicy policy = result.policy().asVersion(version, at, writer);
            store.remember(policy);
            store.announce(policy.environment());
            Log.infof("Policy of %s is now version %d (written by %s)", policy.environment(), version, writer);
            return new Written(policy, false);
        });
    }

    private Uni<Written> insert(EnvironmentPolicy policy, boolean created) {
        return repository.insertVersion(policy).map(inserted -> {
            if (!inserted) {
                throw ProblemException.preconditionFailed("The policy of '" + policy.environment()
                        + "' was changed concurrently; read it again and retry");
            }
            store.remember(policy);
            store.announce(policy.environment());
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

    private Instant now() {
        return clock.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
