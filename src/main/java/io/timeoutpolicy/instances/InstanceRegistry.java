package io.timeoutpolicy.instances;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.timeoutpolicy.history.Attempt;
import io.timeoutpolicy.platform.ServiceClock;
import io.timeoutpolicy.platform.database.DatabaseStatus;
import io.timeoutpolicy.platform.problem.ProblemException;
import io.timeoutpolicy.policy.Canary;
import io.timeoutpolicy.policy.EnvironmentPolicy;
import io.timeoutpolicy.policy.PolicyStore;
import io.timeoutpolicy.policy.StoredVersion;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Who runs what (SPEC 10.3): the instances that asked this replica for timeouts (and which version they were
 * served) or reported attempts (and which version they applied). Kept here for one flush interval, then added to
 * PostgreSQL, where every replica's sightings meet; a listing reads them from there.
 */
@ApplicationScoped
public class InstanceRegistry {

    /** At most this many instances per environment (SPEC 10.3); the least recently seen are forgotten first. */
    public static final int LIMIT = 10_000;

    private final Map<String, Map<String, Sighting>> pending = new ConcurrentHashMap<>();
    private final InstanceRepository repository;
    private final PolicyStore policies;
    private final DatabaseStatus database;
    private final ServiceClock clock;

    InstanceRegistry(InstanceRepository repository, PolicyStore policies, DatabaseStatus database, ServiceClock clock) {
        this.repository = repository;
        this.policies = policies;
        this.database = database;
        this.clock = clock;
    }

    /** This replica answered {@code instance} from {@code version}. */
    public void served(String environment, String instance, int version) {
        Instant now = clock.now();
        keep(new Sighting(environment, instance, null, now, version, now, null, null));
    }

    /** Attempts just recorded: each names its instance, service and the version its client applied. */
    public void reported(List<Attempt> attempts) {
        Instant now = clock.now();
        for (Attempt a : attempts) {
            if (a.instance() != null) {
                keep(new Sighting(a.environment(), a.instance(), a.service(), now, null, null, a.policyVersion(),
                        a.occurredAt()));
            }
        }
    }

    private void keep(Sighting sighting) {
        Map<String, Sighting> environment = pending.computeIfAbsent(sighting.environment(),
                k -> new ConcurrentHashMap<>());
        if (environment.size() >= LIMIT && !environment.containsKey(sighting.instance())) {
            return; // a flush interval with more new instances than the listing keeps: the rest wait for the next
        }
        environment.merge(sighting.instance(), sighting, Sighting::merge);
    }

    @Scheduled(every = "${timeout-policy.rollout.instances-flush-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> flush() {
        if (pending.isEmpty() || !database.isHealthy()) {
            return Uni.createFrom().voidItem();
        }
        List<Sighting> batch = new ArrayList<>();
        for (Map.Entry<String, Map<String, Sighting>> e : pending.entrySet()) {
            for (String instance : List.copyOf(e.getValue().keySet())) {
                Sighting s = e.getValue().remove(instance);
                if (s != null) {
                    batch.add(s);
                }
            }
        }
        if (batch.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<String> environments = batch.stream().map(Sighting::environment).distinct().toList();
        return repository.add(batch, environments, LIMIT)
                .onFailure().invoke(failure -> {
                    Log.debugf("Instances not flushed: %s", failure);
                    batch.forEach(this::keep);
                })
                .onFailure().recoverWithNull();
    }

    /** The instances seen since {@code since} (default: the policy's history window), newest first. */
    public Uni<InstanceList> list(String rawEnvironment, String since) {
        EnvironmentPolicy policy = policies.require(rawEnvironment);
        Instant from = since(since, policy);
        StoredVersion candidate = policies.candidate(policy.environment()).orElse(null);
        int percent = candidate == null ? 0 : candidate.rollout().servedPercent();
        return flush().chain(() -> repository.list(policy.environment(), from, LIMIT)).map(found -> {
            List<InstanceList.Item> items = found.stream().map(s -> new InstanceList.Item(s.instance(), s.service(),
                    s.lastSeen(), s.servedVersion(), s.reportedVersion(),
                    Canary.inCohort(policy.environment(), s.instance(), percent))).toList();
            return new InstanceList(policy.environment(), from, items, new InstanceList.Versions(
                    count(items, InstanceList.Item::servedVersion), count(items, InstanceList.Item::reportedVersion)));
        });
    }

    private static Map<Integer, Long> count(List<InstanceList.Item> items, Function<InstanceList.Item, Integer> of) {
        return items.stream().filter(item -> of.apply(item) != null)
                .collect(Collectors.groupingBy(of, TreeMap::new, Collectors.counting()));
    }

    private Instant since(String text, EnvironmentPolicy policy) {
        if (text == null || text.isBlank()) {
            return clock.now().minus(policy.adaptive().historyWindow());
        }
        try {
            return Instant.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw ProblemException.invalidField("since", "must be an ISO-8601 instant such as 2026-11-22T10:15:30Z");
        }
    }
}
