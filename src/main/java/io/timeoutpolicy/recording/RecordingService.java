package io.timeoutpolicy.recording;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.timeoutpolicy.alerts.Alert;
import io.timeoutpolicy.alerts.AlertService;
import io.timeoutpolicy.history.Attempt;
import io.timeoutpolicy.history.AttemptRepository;
import io.timeoutpolicy.history.HistoryConfig;
import io.timeoutpolicy.history.HistoryView;
import io.timeoutpolicy.history.Provisional;
import io.timeoutpolicy.history.StoredAttempt;
import io.timeoutpolicy.instances.InstanceRegistry;
import io.timeoutpolicy.platform.ServiceClock;
import io.timeoutpolicy.platform.database.DatabaseFailures;
import io.timeoutpolicy.platform.database.DatabaseStatus;
import io.timeoutpolicy.platform.database.JsonCodec;
import io.timeoutpolicy.platform.database.WriteBehind;
import io.timeoutpolicy.platform.database.WriteBehinds;
import io.timeoutpolicy.platform.problem.ProblemException;
import io.timeoutpolicy.policy.PolicyStore;
import io.timeoutpolicy.rollout.ShadowScores;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records the attempts of a request (SPEC 4.7, 7): checks them whole, stores them by group commit, puts them
 * in memory, counts them and raises their alerts. While the database is unavailable they are accepted into the
 * write-behind buffer instead (202) and count at once all the same: memory holds them under provisional seqs,
 * their alerts are raised, and writing them later changes nothing that was counted.
 */
// Made at start-up, so that its write-behind buffer and gauge exist before the first request.
@Startup
@ApplicationScoped
public class RecordingService {

    /** What became of a request's attempts, as answered. */
    public record Recorded(boolean held, AttemptsAnswer answer) {
    }

    private final GroupCommit groupCommit;
    private final AttemptRepository repository;
    private final HistoryView view;
    private final AlertService alerts;
    /** SPEC 10.2: candidates score every recorded attempt (a map lookup when there is none). */
    private final ShadowScores shadow;
    /** SPEC 10.3: which version each instance reports. */
    private final InstanceRegistry instances;
    private final PolicyStore policies;
    private final DatabaseStatus database;
    private final ServiceClock clock;
    private final HistoryConfig history;
    private final ObjectMapper mapper;
    private final WriteBehind<Provisional> held;
    /** Ids in the write-behind buffer: a retry of one while the database is away is a duplicate at once. */
    private final Set<UUID> heldIds = ConcurrentHashMap.newKeySet();
    private final Counter recorded;
    private final Counter rejected;
    private final Counter withdrawn;
    private final MeterRegistry registry;

    RecordingService(GroupCommit groupCommit, AttemptRepository repository, HistoryView view, AlertService alerts,
            ShadowScores shadow, InstanceRegistry instances, PolicyStore policies, DatabaseStatus database,
            ServiceClock clock, HistoryConfig history,
            RecordingConfig config, ObjectMapper mapper, WriteBehinds writeBehinds, MeterRegistry registry) {
        this.groupCommit = groupCommit;
        this.repository = repository;
        this.view = view;
        this.alerts = alerts;
        this.shadow = shadow;
        this.instances = instances;
        this.policies = policies;
        this.database = database;
        this.clock = clock;
        this.history = history;
        this.mapper = mapper;
        this.registry = registry;
        this.held = writeBehinds.create("attempts", config.writeBehind(), this::writeHeld,
                JsonCodec.of(mapper, Attempt.class, Provisional::attempt, a -> new Provisional(a, Provisional.REPLAYED)));
        held.held().forEach(p -> heldIds.add(p.attempt().id()));
        this.recorded = Counter.builder("timeout_policy.attempts.recorded")
                .description("Attempts recorded: stored, or accepted while the database is unavailable"
                        + " (duplicates not counted)").register(registry);
        this.rejected = Counter.builder("timeout_policy.attempts.rejected")
                .description("Attempts in requests refused as invalid").register(registry);
        this.withdrawn = Counter.builder("timeout_policy.attempts.withdrawn")
                .description("Attempts accepted while the database was unavailable that it turned out to hold"
                        + " already (retries): counted in recorded, then taken out of memory").register(registry);
    }

    /** Checks the whole body (nothing is written when any of it is wrong), then records it. */
    public Uni<Recorded> record(JsonNode body) {
        AttemptIntake.Accepted accepted = accept(body);
        if (!database.isHealthy()) {
            return Uni.createFrom().deferred(() -> hold(accepted));
        }
        return groupCommit.write(accepted.attempts())
                .onItem().transformToUni(stored -> recordStored(accepted, stored))
                .onFailure(failure -> !(failure instanceof ProblemException) && DatabaseFailures.isOutage(failure))
                .recoverWithUni(failure -> {
                    database.markUnavailable(failure);
                    // Deferred: a full buffer fails this Uni with its 503 alone, not combined with the cause.
                    return Uni.createFrom().deferred(() -> hold(accepted));
                });
    }

    /** 201: the new rows are committed; in memory, counted and evaluated now. */
    private Uni<Recorded> recordStored(AttemptIntake.Accepted accepted, List<StoredAttempt> stored) {
        view.record(stored);
        return counted(accepted, stored.stream().map(StoredAttempt::attempt).toList(), false);
    }

    /**
     * 202: held for the database, in the journal on disk before the answer; in memory (provisionally), counted
     * and evaluated now all the same.
     */
    private Uni<Recorded> hold(AttemptIntake.Accepted accepted) {
        List<Attempt> fresh = accepted.attempts().stream().filter(a -> heldIds.add(a.id())).toList();
        List<Provisional> provisional = view.provisional(fresh);
        Uni<Void> durable;
        try {
            durable = held.keep(provisional);
        } catch (ProblemException full) {
            fresh.forEach(a -> heldIds.remove(a.id()));
            throw full;
        }
        view.recordProvisional(provisional);
        return durable.chain(() -> counted(accepted, fresh, true));
    }

    /** Counts what a request recorded (in memory now), raises its alerts and answers it, 201 or 202 alike. */
    private Uni<Recorded> counted(AttemptIntake.Accepted accepted, List<Attempt> attempts, boolean held) {
        recorded.increment(attempts.size());
        attempts.stream().filter(Attempt::violation).forEach(this::countViolation);
        shadow.score(attempts);
        instances.reported(attempts);
        int duplicates = accepted.duplicates() + accepted.attempts().size() - attempts.size();
        return alerts.evaluate(attempts).map(raised -> new Recorded(held, answer(attempts, duplicates, raised)));
    }

    /**
     * Writes held attempts; memory then knows each by its stored seq. An id PostgreSQL held already (a retry,
     * or a commit whose answer was lost) is read back, so that memory holds it once, as stored.
     */
    private Uni<Void> writeHeld(List<Provisional> batch) {
        List<Attempt> attempts = batch.stream().map(Provisional::attempt).toList();
        return repository.insert(attempts).chain(inserted -> {
            Map<UUID, StoredAttempt> stored = new HashMap<>();
            inserted.forEach(s -> stored.put(s.attempt().id(), s));
            List<UUID> known = attempts.stream().map(Attempt::id).filter(id -> !stored.containsKey(id)).toList();
            Uni<List<StoredAttempt>> earlier = known.isEmpty() ? Uni.createFrom().item(List.of())
                    : repository.findByIds(known);
            return earlier.invoke(found -> {
                found.forEach(s -> stored.put(s.attempt().id(), s));
                // Replayed from the journal: memory never held them, so they join it as stored now.
                view.record(batch.stream().filter(Provisional::isReplayed).map(p -> stored.get(p.attempt().id()))
                        .filter(Objects::nonNull).toList());
                int twins = view.settle(batch, stored);
                withdrawn.increment(twins);
                attempts.forEach(a -> heldIds.remove(a.id()));
                if (twins > 0) {
                    Log.infof("%d attempts accepted during the outage were retries of stored ones", twins);
                }
            });
        }).replaceWithVoid();
    }

    /** Violations by environment and operation, so that a dashboard can set them against the attempts. */
    private void countViolation(Attempt attempt) {
        Counter.builder("timeout_policy.attempts.violations")
                .description("Recorded attempts that took longer than their timeout in force")
                .tags("environment", attempt.environment(), "operation", attempt.operation().wireName())
                .register(registry).increment();
    }

    private AttemptIntake.Accepted accept(JsonNode body) {
        try {
            AttemptsBody parsed = AttemptsBody.parse(body, mapper);
            return AttemptIntake.check(parsed.requests(), parsed.prefixes(), clock.now(), history.retention(),
                    policies::find, parsed.errors());
        } catch (ProblemException e) {
            rejected.increment(AttemptsBody.attemptsIn(body));
            throw e;
        }
    }

    private static AttemptsAnswer answer(List<Attempt> recorded, int duplicates, List<Alert> raised) {
        List<String> violations = recorded.stream().filter(Attempt::violation)
                .map(AttemptsAnswer::violationMessage).toList();
        return new AttemptsAnswer(recorded.size(), duplicates, violations, raised);
    }
}
