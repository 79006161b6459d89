package io.timeoutpolicy.alerts;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.timeoutpolicy.history.Attempt;
import io.timeoutpolicy.history.HistoryView;
import io.timeoutpolicy.history.StoredAttempt;
import io.timeoutpolicy.platform.ServiceClock;
import io.timeoutpolicy.policy.PolicyStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates SPEC 4.7 for the attempts a request recorded: each attempt against its timeout in force, then
 * each series' rates once (with the recorded attempts included). Repeats of one key in the same request
 * are counted together; each alert raised or repeated is stored, streamed and answered.
 */
@ApplicationScoped
public class AlertService {

    private final HistoryView history;
    private final PolicyStore policies;
    private final AlertRepository repository;
    private final AlertHub hub;
    private final ServiceClock clock;
    private final MeterRegistry registry;

    AlertService(HistoryView history, PolicyStore policies, AlertRepository repository, AlertHub hub,
            ServiceClock clock, MeterRegistry registry) {
        this.history = history;
        this.policies = policies;
        this.repository = repository;
        this.hub = hub;
        this.clock = clock;
        this.registry = registry;
    }

    /** The alerts the recorded attempts raised; a failure to store them never fails the recording. */
    public Uni<List<Alert>> evaluate(List<StoredAttempt> recorded) {
        Map<String, AlertSignal> signals = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        Map<String, Attempt> series = new LinkedHashMap<>();
        for (StoredAttempt stored : recorded) {
            Attempt a = stored.attempt();
            AlertRules.connectionTime(a).ifPresent(signal -> add(signal, signals, counts));
            series.putIfAbsent(a.environment() + '/' + a.operation().wireName(), a);
        }
        for (Attempt a : series.values()) {
            policies.find(a.environment()).ifPresent(policy -> AlertRules.rates(a.environment(),
                    a.operation().wireName(), history.window(a.environment(), a.operation(),
                            policy.adaptive().historyWindow(), null, false))
                    .forEach(signal -> add(signal, signals, counts)));
        }
        if (signals.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Instant now = clock.now();
        return Multi.createFrom().iterable(signals.entrySet())
                .onItem().transformToUniAndConcatenate(e -> raise(e.getValue(), counts.get(e.getKey()), now))
                .collect().asList()
                .onFailure().recoverWithItem(failure -> {
                    Log.warnf("Alerts could not be stored: %s", failure.getMessage());
                    return List.of();
                });
    }

    public Uni<List<Alert>> list(String environment, String level, Instant since, int limit) {
        return repository.list(environment, level, since, limit);
    }

    private Uni<Alert> raise(AlertSignal signal, int occurrences, Instant now) {
        // Attempts are only recorded for environments with a policy, and policies are never deleted.
        Instant cooldownStart = now.minus(policies.find(signal.environment()).orElseThrow().alerts().cooldown());
        return repository.raise(signal, occurrences, now, cooldownStart).invoke(alert -> {
            hub.publish(alert);
            registry.counter("timeout_policy.alerts", "level", alert.level(), "type", alert.type()).increment();
            if (alert.occurrences() == occurrences) {
                Log.warnf("Alert %s %s on %s/%s: %s", alert.level(), alert.type(), alert.environment(),
                        alert.operation(), alert.message());
            }
        });
    }

    private static void add(AlertSignal signal, Map<String, AlertSignal> signals, Map<String, Integer> counts) {
        signals.put(signal.key(), signal);
        counts.merge(signal.key(), 1, Integer::sum);
    }
}
