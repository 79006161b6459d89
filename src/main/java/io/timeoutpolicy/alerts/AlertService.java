package io.timeoutpolicy.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.timeoutpolicy.alerts.delivery.AlertDelivery;
import io.timeoutpolicy.history.Attempt;
import io.timeoutpolicy.history.HistoryView;
import io.timeoutpolicy.platform.ServiceClock;
import io.timeoutpolicy.platform.database.DatabaseFailures;
import io.timeoutpolicy.platform.database.DatabaseStatus;
import io.timeoutpolicy.platform.database.JsonCodec;
import io.timeoutpolicy.platform.database.WriteBehind;
import io.timeoutpolicy.platform.database.WriteBehinds;
import io.timeoutpolicy.platform.problem.ProblemException;
import io.timeoutpolicy.policy.PolicyStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates SPEC 4.7 for the attempts a request recorded: each attempt against its timeout in force, then
 * each series' rates once (with the recorded attempts included). Repeats of one key in the same request
 * are counted together; each alert raised or repeated is stored, streamed and answered. While the database
 * is unavailable an alert is streamed and answered at once and held in a write-behind buffer, stored when the
 * database is back as the repeats it was (its cooldown counted from when it was raised), so nothing is
 * raised or counted twice.
 */
// Made at start-up, so that its write-behind buffer and gauge exist before the first request.
@Startup
@ApplicationScoped
public class AlertService {

    private final HistoryView history;
    private final PolicyStore policies;
    private final AlertRepository repository;
    private final FleetAlerts fleet;
    private final ServiceClock clock;
    private final MeterRegistry registry;
    private final DatabaseStatus database;
    private final WriteBehind<HeldAlert> held;
    private final AlertDelivery delivery;

    AlertService(HistoryView history, PolicyStore policies, AlertRepository repository, FleetAlerts fleet,
            ServiceClock clock, DatabaseStatus database, AlertsConfig config, WriteBehinds writeBehinds,
            AlertDelivery delivery, ObjectMapper mapper, MeterRegistry registry) {
        this.database = database;
        this.held = writeBehinds.create("alerts", config.writeBehind(), this::storeHeld,
                JsonCodec.of(mapper, HeldAlert.class));
        this.history = history;
        this.policies = policies;
        this.repository = repository;
        this.fleet = fleet;
        this.clock = clock;
        this.registry = registry;
        this.delivery = delivery;
    }

    /** The alerts the recorded attempts raised; a failure to store them never fails the recording. */
    public Uni<List<Alert>> evaluate(List<Attempt> recorded) {
        Map<String, AlertSignal> signals = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        Map<String, Attempt> series = new LinkedHashMap<>();
        for (Attempt a : recorded) {
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
                .collect().asList();
    }

    /**
     * Raises one alert that no attempt rule produced (SPEC 10.2's {@code policy_rollback}): stored, streamed and
     * delivered like any other.
     */
    public Uni<Alert> raise(AlertSignal signal) {
        return raise(signal, 1, clock.now());
    }

    public Uni<List<Alert>> list(String environment, String level, Instant since, int limit) {
        return repository.list(environment, level, since, limit);
    }

    private Uni<Alert> raise(AlertSignal signal, int occurrences, Instant now) {
        // Attempts are only recorded for environments with a policy, and policies are never deleted.
        Duration cooldown = policies.find(signal.environment()).orElseThrow().alerts().cooldown();
        HeldAlert raised = new HeldAlert(signal, occurrences, now, now.minus(cooldown));
        Uni<Alert> stored = database.isHealthy() ? repository.raise(signal, occurrences, now, raised.cooldownStart())
                .onFailure(DatabaseFailures::isOutage).recoverWithUni(failure -> {
                    database.markUnavailable(failure);
                    return hold(raised);
                })
                : Uni.createFrom().deferred(() -> hold(raised));
        return stored.invoke(alert -> {
            boolean isNew = alert.occurrences() == occurrences;
            fleet.publish(alert);
            delivery.deliver(alert, isNew, cooldown);
            registry.counter("timeout_policy.alerts", "environment", alert.environment(), "operation",
                    alert.operation(), "level", alert.level(), "type", alert.type()).increment();
            if (isNew) {
                Log.warnf("Alert %s %s on %s/%s: %s", alert.level(), alert.type(), alert.environment(),
                        alert.operation(), alert.message());
            }
        });
    }

    /**
     * Streamed and answered as a new alert now, once it is in the journal; stored with the others when the
     * database is back. A full buffer or a journal that cannot be written loses the alert, never the recording.
     */
    private Uni<Alert> hold(HeldAlert raised) {
        Uni<Void> kept;
        try {
            kept = held.keep(List.of(raised));
        } catch (ProblemException full) {
            Log.warnf("Alert %s not kept for the database: %s", raised.signal().key(), full.getMessage());
            return Uni.createFrom().item(raised.unstored());
        }
        return kept.onFailure().invoke(failure -> Log.warnf("Alert %s not kept for the database: %s",
                raised.signal().key(), failure.getMessage())).onFailure().recoverWithNull()
                .replaceWith(raised.unstored());
    }

    /**
     * Raises held alerts one after the other. A raise counts, so a round that fails part-way would count its
     * first alerts twice when it is written again: the configured batch size is 1.
     */
    private Uni<Void> storeHeld(List<HeldAlert> batch) {
        return Multi.createFrom().iterable(batch)
                .onItem().transformToUniAndConcatenate(h -> repository.raise(h.signal(), h.occurrences(), h.seenAt(),
                        h.cooldownStart()))
                .collect().last().replaceWithVoid();
    }

    private static void add(AlertSignal signal, Map<String, AlertSignal> signals, Map<String, Integer> counts) {
        signals.put(signal.key(), signal);
        counts.merge(signal.key(), 1, Integer::sum);
    }
}
