package io.timeoutpolicy.timeouts;

import io.timeoutpolicy.history.ConnectionHistory;
import io.timeoutpolicy.platform.DatabaseStatus;
import io.timeoutpolicy.platform.ProblemException;
import io.timeoutpolicy.policy.EnvironmentPolicy;
import io.timeoutpolicy.policy.Operation;
import io.timeoutpolicy.policy.PolicyStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Answers timeout requests from memory only: the policy store and the history view, never the database. */
@ApplicationScoped
public class TimeoutService {

    private final PolicyStore policies;
    private final DatabaseStatus database;

    TimeoutService(PolicyStore policies, DatabaseStatus database) {
        this.policies = policies;
        this.database = database;
    }

    public TimeoutsAnswer timeouts(String rawEnvironment, List<String> pressureValues, String operationName) {
        EnvironmentPolicy policy = policies.require(rawEnvironment);
        Optional<Operation> only = operation(operationName);
        List<String> pressure = PressureIndicators.parse(pressureValues, policy.pressureMultipliers().keySet());
        // The history store arrives with attempt ingestion; until then every environment has none.
        TimeoutResult result = TimeoutCalculator.compute(policy, ConnectionHistory.EMPTY, pressure);
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
        return new TimeoutsAnswer(policy.environment(), policy.version(), result.strategy(), result.adaptive(),
                degraded(), result.samples(), timeouts, base, explanations, result.pressure(), Instant.now());
    }

    public StartupConfigAnswer startupConfig(String rawEnvironment, List<String> pressureValues) {
        TimeoutsAnswer timeouts = timeouts(rawEnvironment, pressureValues, null);
        EnvironmentPolicy policy = policies.require(timeouts.environment());
        return new StartupConfigAnswer(policy.environment(), timeouts.policyVersion(), timeouts.degraded(), timeouts,
                policy.retry(), policy.pool());
    }

    /** Answers from built-in policies, or while the database is failing, are flagged. */
    public boolean degraded() {
        return !policies.isLoadedFromDatabase() || !database.isHealthy();
    }

    /** An operation by name (connection) or key (connection_timeout); absent means all five. */
    private static Optional<Operation> operation(String name) {
        if (name == null || name.isBlank()) {
            return Optional.empty();
        }
        String lower = name.trim().toLowerCase(Locale.ROOT);
        return Operation.fromWireName(lower).or(() -> Operation.fromTimeoutKey(lower))
                .map(Optional::of)
                .orElseThrow(() -> ProblemException.invalidField("operation",
                        "unknown operation '" + name + "'; allowed: " + Operation.wireNames()));
    }
}
