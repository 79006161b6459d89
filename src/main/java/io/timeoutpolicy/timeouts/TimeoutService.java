package io.timeoutpolicy.timeouts;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.timeoutpolicy.circuit.CircuitService;
import io.timeoutpolicy.history.HistoryView;
import io.timeoutpolicy.platform.DatabaseStatus;
import io.timeoutpolicy.policy.EnvironmentPolicy;
import io.timeoutpolicy.policy.Operation;
import io.timeoutpolicy.policy.PolicyStore;
import io.timeoutpolicy.policy.Strategy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Answers timeout requests from memory only: the policy store and the history view, never the database. */
@ApplicationScoped
public class TimeoutService {

    private final PolicyStore policies;
    private final DatabaseStatus database;
    private final HistoryView history;
    private final CircuitService circuits;

    private final MeterRegistry registry;
    private final TimeoutMemo memo = new TimeoutMemo();
    private final Map<String, Counter> servedCounters = new ConcurrentHashMap<>();

    TimeoutService(PolicyStore policies, DatabaseStatus database, HistoryView history, CircuitService circuits,
            MeterRegistry registry) {
        this.policies = policies;
        this.database = database;
        this.history = history;
        this.circuits = circuits;
        this.registry = registry;
        Gauge.builder("timeout_policy.degraded", this, service -> service.degraded() ? 1 : 0)
                .description("1 while answers come from built-in policies, lack the stored history, or the"
                        + " database is failing").register(registry);
    }

    public TimeoutsAnswer timeouts(String rawEnvironment, List<String> pressureValues, String operationName) {
        EnvironmentPolicy policy = policies.require(rawEnvironment);
        Optional<Operation> only = operation(operationName);
        List<String> pressure = PressureIndicators.parse(pressureValues, policy.pressureMultipliers().keySet());
        TimeoutResult result = memo.computeIfAbsent(policy, history.connectionHistory(policy),
                successfulSamples(policy), pressure);
        Map<String, Double> timeouts = new LinkedHashMap<>();
        Map<String, Double> base = new LinkedHashMap<>();
        Map<String, Explanation> explanations = new LinkedHashMap<>();
        for (Operation operation : Operation.values()) {
            if (only.isEmpty() || only.get() == operation) {
                timeouts.put(operation.timeoutKey(), result.timeouts().get(operation));
                base.put(operation.timeoutKey(), policy.baseTimeouts().of(operation));
                explanations.put(operation.timeoutKey(), result.explanations().get(operation));
            }
        }
        served(policy.environment(), result.explanations().get(Operation.CONNECTION).branch()).increment();
        return new TimeoutsAnswer(policy.environment(), policy.version(), result.strategy(), result.adaptive(),
                degraded(), result.samples(), timeouts, base, explanations, result.pressure(), Instant.now());
    }

    public StartupConfigAnswer startupConfig(String rawEnvironment, List<String> pressureValues) {
        TimeoutsAnswer timeouts = timeouts(rawEnvironment, pressureValues, null);
        EnvironmentPolicy policy = policies.require(timeouts.environment());
        return new StartupConfigAnswer(policy.environment(), timeouts.policyVersion(), timeouts.degraded(), timeouts,
                policy.retry(), policy.pool(), circuits.state(policy));
    }

    /** Answers from built-in policies, without the stored history, or while the database fails, are flagged. */
    public boolean degraded() {
        return !policies.isLoadedFromDatabase() || !history.isLoaded() || !database.isHealthy();
    }

    /** One counter per environment and branch, looked up once: this is the hottest path of the service. */
    private Counter served(String environment, Branch branch) {
        return servedCounters.computeIfAbsent(environment + '/' + branch.wireName(), key -> registry.counter(
                "timeout_policy.timeouts.served", "environment", environment, "branch", branch.wireName()));
    }

    /** SPEC 4.3 needs the successful attempts of every operation; the heuristic needs none. */
    private SuccessfulSamples successfulSamples(EnvironmentPolicy policy) {
        if (policy.adaptive().strategy() != Strategy.PERCENTILE) {
            return SuccessfulSamples.NONE;
        }
        double quantile = 1 - policy.adaptive().percentile().targetFalseTimeoutRate();
        Map<Operation, SuccessfulSamples.Sample> samples = new EnumMap<>(Operation.class);
        for (Operation operation : Operation.values()) {
            var successful = history.successfulDurations(policy.environment(), operation,
                    policy.adaptive().historyWindow(), quantile);
            samples.put(operation, new SuccessfulSamples.Sample(successful.count(), successful.quantile()));
        }
        return new SuccessfulSamples(samples);
    }

    /** An operation by name (connection) or key (connection_timeout); absent means all five. */
    private static Optional<Operation> operation(String name) {
        return name == null || name.isBlank() ? Optional.empty() : Optional.of(Operation.require(name));
    }
}
