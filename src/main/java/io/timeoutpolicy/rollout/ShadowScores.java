package io.timeoutpolicy.rollout;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.timeoutpolicy.history.Attempt;
import io.timeoutpolicy.platform.database.DatabaseStatus;
import io.timeoutpolicy.policy.EnvironmentPolicy;
import io.timeoutpolicy.policy.Operation;
import io.timeoutpolicy.policy.PolicyStore;
import io.timeoutpolicy.policy.Rollout;
import io.timeoutpolicy.policy.StoredVersion;
import io.timeoutpolicy.timeouts.TimeoutResult;
import io.timeoutpolicy.timeouts.TimeoutService;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Scores every attempt this replica records while its environment has a candidate (SPEC 10.2): against the
 * current and the candidate's effective timeout of its operation (as timeouts are computed, without pressure,
 * now), and, for connection attempts that name the policy version their client applied, into the canary or the
 * control cohort. Counted in memory on the recording path (a map lookup when there is no candidate); added to
 * PostgreSQL every flush interval, where every replica's share is summed; after each flush the guard looks at
 * the summed cohorts.
 */
@ApplicationScoped
public class ShadowScores {

    /** One candidate version of one environment. */
    private record Key(String environment, int version) {
    }

    private final Map<Key, Tally> tallies = new ConcurrentHashMap<>();
    /** The last write of each key: a write starts after the one before it ends, so a read sees every drained delta. */
    private final Map<Key, CompletableFuture<Void>> writes = new ConcurrentHashMap<>();
    private final PolicyStore policies;
    private final TimeoutService timeouts;
    private final ScoreRepository repository;
    private final DatabaseStatus database;
    private final CanaryGuard guard;

    ShadowScores(PolicyStore policies, TimeoutService timeouts, ScoreRepository repository, DatabaseStatus database,
            CanaryGuard guard) {
        this.policies = policies;
        this.timeouts = timeouts;
        this.repository = repository;
        this.database = database;
        this.guard = guard;
    }

    /** Scores attempts just recorded (stored or held); cheap without candidates. */
    public void score(List<Attempt> recorded) {
        if (!policies.hasCandidates()) {
            return;
        }
        String environment = null;
        StoredVersion candidate = null;
        EnvironmentPolicy current = null;
        TimeoutResult currentTimeouts = null;
        TimeoutResult candidateTimeouts = null;
        Tally tally = null;
        for (Attempt a : recorded) {
            if (!a.environment().equals(environment)) {
                // Batches are mostly of one environment: look up its candidate once per run of it.
                environment = a.environment();
                candidate = policies.candidate(environment).orElse(null);
                if (candidate == null) {
                    continue;
                }
                current = policies.find(environment).orElseThrow();
                TimeoutService.Effective effective = timeouts.effective(current, candidate.policy());
                currentTimeouts = effective.current();
                candidateTimeouts = effective.candidate();
                tally = tallies.computeIfAbsent(new Key(environment, candidate.version()), k -> new Tally());
            }
            if (candidate == null) {
                continue;
            }
            Operation operation = a.operation();
            tally.add(operation, a.durationSeconds(), currentTimeouts.timeouts().get(operation),
                    candidateTimeouts.timeouts().get(operation));
            if (operation == Operation.CONNECTION && a.policyVersion() != null) {
                if (a.policyVersion() == candidate.version()) {
                    tally.addToCohort(Tally.CANARY, a.violation(), !a.success());
                } else if (a.policyVersion() == current.version()) {
                    tally.addToCohort(Tally.CONTROL, a.violation(), !a.success());
                }
            }
        }
    }

    /** A candidate's score as every replica has flushed it, this replica's share written first. */
    public Uni<Score> read(StoredVersion candidate) {
        Key key = new Key(candidate.environment(), candidate.version());
        Tally tally = tallies.get(key);
        Uni<Void> flushed = tally == null ? Uni.createFrom().voidItem() : write(key, tally);
        return flushed.onFailure().recoverWithNull().chain(() -> repository.read(key.environment(), key.version()));
    }

    @Scheduled(every = "${timeout-policy.rollout.score-flush-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> flush() {
        if (tallies.isEmpty() || !database.isHealthy()) {
            return Uni.createFrom().voidItem();
        }
        return Multi.createFrom().iterable(List.copyOf(tallies.entrySet()))
                .onItem().transformToUniAndConcatenate(e -> write(e.getKey(), e.getValue())
                        .onFailure().invoke(failure -> Log.debugf("Score of %s not flushed: %s", e.getKey(), failure))
                        .onFailure().recoverWithNull())
                .collect().last().replaceWithVoid();
    }

    /** Adds what the tally holds to PostgreSQL (put back on failure), then lets the guard look at a canary. */
    private Uni<Void> write(Key key, Tally tally) {
        return afterTheWriteBefore(key, () -> add(key, tally)).chain(delta -> {
            StoredVersion candidate = policies.candidate(key.environment()).orElse(null);
            if (candidate == null || candidate.version() != key.version()) {
                // Promoted, aborted or rolled back: what it had is written; nothing more will come.
                tallies.remove(key);
                return Uni.createFrom().voidItem();
            }
            if (!delta.hasCohorts() || candidate.rollout().mode() != Rollout.Mode.CANARY) {
                return Uni.createFrom().voidItem();
            }
            return repository.read(key.environment(), key.version()).chain(score -> guard.check(candidate, score));
        });
    }

    private Uni<Tally> add(Key key, Tally tally) {
        Tally delta = tally.drain();
        return delta.isEmpty() ? Uni.createFrom().item(delta)
                : repository.add(key.environment(), key.version(), delta)
                        .onFailure().invoke(() -> tally.addAll(delta))
                        .replaceWith(delta);
    }

    /**
     * Runs {@code next} once the previous write of {@code key} has ended: a read that drained nothing while a flush's
     * delta was still on its way to PostgreSQL would otherwise miss that delta.
     */
    private <T> Uni<T> afterTheWriteBefore(Key key, Supplier<Uni<T>> next) {
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> before = writes.put(key, mine);
        Uni<Void> previous = before == null ? Uni.createFrom().voidItem() : Uni.createFrom().completionStage(before);
        return previous.chain(() -> next.get()).onTermination().invoke(() -> {
            mine.complete(null);
            writes.remove(key, mine);
        });
    }
}
