package io.timeoutpolicy.timeouts;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;
import io.timeoutpolicy.circuit.CircuitService;
import io.timeoutpolicy.circuit.CircuitState;
import io.timeoutpolicy.history.ConnectionHistory;
import io.timeoutpolicy.history.HistoryView;
import io.timeoutpolicy.instances.InstanceRegistry;
import io.timeoutpolicy.platform.ServiceClock;
import io.timeoutpolicy.platform.database.DatabaseStatus;
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

/** Answers timeout requests from memory only: the policy store and the history view, never the database. */
@ApplicationScoped
public class TimeoutService {

    private final PolicyStore policies;
    private final DatabaseStatus database;
    private final HistoryView history;
    private final CircuitService circuits;
    private final InstanceRegistry instances;

    private final ServiceClock clock;
    private final ObjectMapper mapper;
    private final TimeoutMemo memo = new TimeoutMemo();
    private final ServedCounts served;

    TimeoutService(PolicyStore policies, DatabaseStatus database, HistoryView history, CircuitService circuits,
            InstanceRegistry instances, ServiceClock clock, ObjectMapper mapper, MeterRegistry registry,
            ServedCounts served) {
        this.policies = policies;
        this.database = database;
        this.history = history;
        this.circuits = circuits;
        this.instances = instances;
        this.clock = clock;
        this.mapper = mapper;
        this.served = served;
        Gauge.builder("timeout_policy.degraded", this, service -> service.degraded() ? 1 : 0)
                .description("1 while answers come from built-in policies, lack the stored history, or the"
                        + " database is failing").register(registry);
    }

    public TimeoutsAnswer timeouts(String rawEnvironment, List<String> pressureValues, String operationName) {
        return timeouts(rawEnvironment, pressureValues, operationName, null);
    }

    /**
     * The timeouts an instance is served: a canary's candidate when it is in the cohort (SPEC 10.2), else the
     * current version; the answer names the version either way.
     */
    public TimeoutsAnswer timeouts(String rawEnvironment, List<String> pressureValues, String operationName,
            String instance) {
        Question question = question(rawEnvironment, pressureValues, operationName, instance);
        return answer(question, clock.now());
    }

    /** The same answer as {@link #timeouts}, as JSON: serialised once per change of its inputs, not per call. */
    public byte[] renderedTimeouts(String rawEnvironment, List<String> pressureValues, String operationName,
            String instance) {
        return timeoutsRendering(rawEnvironment, pressureValues, operationName, instance).body();
    }

    /** A rendered answer at the moment it was asked for: joined into bytes, or as a buffer over its parts. */
    record Rendering(RenderedAnswer rendered, Instant computedAt) {

        byte[] body() {
            return rendered.at(computedAt);
        }

        ByteBuf buffer() {
            return rendered.buffer(computedAt);
        }
    }

    /** The same answer as {@link #renderedTimeouts}, not yet joined (how a direct answer writes it). */
    Rendering timeoutsRendering(String rawEnvironment, List<String> pressureValues, String operationName,
            String instance) {
        Question question = question(rawEnvironment, pressureValues, operationName, instance);
        Instant now = clock.now();
        Memoized memoized = question.memoized();
        RenderedAnswer rendered = memoized.rendering(question.degraded(), question.only());
        if (rendered == null) {
            rendered = memoized.keep(question.degraded(), question.only(),
                    RenderedAnswer.of(answer(question, now), now, mapper));
        }
        return new Rendering(rendered, now);
    }

    /** A timeouts request resolved against memory: its policy, computation and flags. */
    private record Question(EnvironmentPolicy policy, Optional<Operation> only, Memoized memoized,
            boolean degraded) {
    }

    private Question question(String rawEnvironment, List<String> pressureValues, String operationName,
            String instance) {
        EnvironmentPolicy policy = policies.servedTo(rawEnvironment, instance);
        if (instance != null) {
            instances.served(policy.environment(), instance, policy.version());
        }
        Optional<Operation> only = operation(operationName);
        List<String> pressure = PressureIndicators.parse(pressureValues, policy.pressureMultipliers().keySet());
        Memoized memoized = memo.computeIfAbsent(policy, history.connectionHistory(policy),
                successfulSamples(policy), pressure);
        Branch branch = memoized.result().explanations().get(Operation.CONNECTION).branch();
        served.of(policy.environment(), branch).increment();
        return new Question(policy, only, memoized, degraded() || !history.isComplete(policy.adaptive().historyWindow()));
    }

    private static TimeoutsAnswer answer(Question question, Instant computedAt) {
        EnvironmentPolicy policy = question.policy();
        TimeoutResult result = question.memoized().result();
        Map<String, Double> timeouts = new LinkedHashMap<>();
        Map<String, Double> base = new LinkedHashMap<>();
        Map<String, Explanation> explanations = new LinkedHashMap<>();
        for (Operation operation : Operation.values()) {
            if (question.only().isEmpty() || question.only().get() == operation) {
                timeouts.put(operation.timeoutKey(), result.timeouts().get(operation));
                base.put(operation.timeoutKey(), policy.baseTimeouts().of(operation));
                explanations.put(operation.timeoutKey(), result.explanations().get(operation));
            }
        }
        return new TimeoutsAnswer(policy.environment(), policy.version(), result.strategy(), result.adaptive(),
                question.degraded(), result.samples(), timeouts, base, explanations, result.pressure(), computedAt);
    }

    public StartupConfigAnswer startupConfig(String rawEnvironment, List<String> pressureValues) {
        return startupConfig(rawEnvironment, pressureValues, null);
    }

    /** Everything a backend needs at start-up, from the version this instance is served (SPEC 10.2). */
    public StartupConfigAnswer startupConfig(String rawEnvironment, List<String> pressureValues, String instance) {
        Question question = question(rawEnvironment, pressureValues, null, instance);
        Instant now = clock.now();
        return startupConfig(question, circuits.state(question.policy(), now), now);
    }

    private static StartupConfigAnswer startupConfig(Question question, CircuitState circuit, Instant computedAt) {
        TimeoutsAnswer timeouts = answer(question, computedAt);
        EnvironmentPolicy policy = question.policy();
        return new StartupConfigAnswer(policy.environment(), timeouts.policyVersion(), timeouts.degraded(), timeouts,
                policy.retry(), policy.pool(), circuit);
    }

    /** A start-up configuration as JSON, with what its ETag and a watch need to know of it. */
    record RenderedStartupConfig(String environment, int policyVersion, Rendering rendering) {

        byte[] body() {
            return rendering.body();
        }
    }

    /**
     * The same answer as {@link #startupConfig}, as JSON: serialised once per change of its inputs (those of the
     * timeouts, and the circuit state), not per call.
     */
    RenderedStartupConfig renderedStartupConfig(String rawEnvironment, List<String> pressureValues,
            String instance) {
        Question question = question(rawEnvironment, pressureValues, null, instance);
        EnvironmentPolicy policy = question.policy();
        Instant now = clock.now();
        CircuitState circuit = circuits.state(policy, now);
        Memoized memoized = question.memoized();
        RenderedAnswer rendered = memoized.startupRendering(question.degraded(), circuit);
        if (rendered == null) {
            rendered = memoized.keepStartup(question.degraded(), circuit,
                    RenderedAnswer.of(startupConfig(question, circuit, now), now, mapper));
        }
        return new RenderedStartupConfig(policy.environment(), policy.version(), new Rendering(rendered, now));
    }

    /** The version an instance would be served now (SPEC 10.4: what a watch compares). */
    public int servedVersion(String rawEnvironment, String instance) {
        return policies.servedTo(rawEnvironment, instance).version();
    }

    /** The effective timeouts of an environment's current and candidate versions at one moment. */
    public record Effective(TimeoutResult current, TimeoutResult candidate) {
    }

    /**
     * The effective timeouts of an environment's current and candidate versions now, without pressure (SPEC 10.2's
     * shadow score, once per recorded batch): the history is read once for both when they read the same window
     * the same way, instead of once each.
     */
    public Effective effective(EnvironmentPolicy current, EnvironmentPolicy candidate) {
        ConnectionHistory connection = history.connectionHistory(current);
        SuccessfulSamples samples = successfulSamples(current);
        boolean sameWindow = current.adaptive().historyWindow().equals(candidate.adaptive().historyWindow());
        ConnectionHistory candidateConnection = sameWindow ? connection : history.connectionHistory(candidate);
        SuccessfulSamples candidateSamples = sameWindow && sameSamples(current, candidate) ? samples
                : successfulSamples(candidate);
        return new Effective(memo.computeIfAbsent(current, connection, samples, List.of()).result(),
                memo.computeIfAbsent(candidate, candidateConnection, candidateSamples, List.of()).result());
    }

    /** Both read the successful attempts alike: neither does (heuristic), or both at the same quantile. */
    private static boolean sameSamples(EnvironmentPolicy a, EnvironmentPolicy b) {
        Strategy strategy = a.adaptive().strategy();
        return strategy == b.adaptive().strategy() && (strategy != Strategy.PERCENTILE
                || a.adaptive().percentile().targetFalseTimeoutRate()
                == b.adaptive().percentile().targetFalseTimeoutRate());
    }

    /**
     * The effective timeouts a policy document would give now, without pressure (SPEC 10.1's backtest, 10.2's
     * shadow score): computed afresh, never memoised, because a hypothetical document may share its version
     * number with the stored one.
     */
    public TimeoutResult withoutPressure(EnvironmentPolicy policy) {
        return TimeoutCalculator.compute(policy, history.connectionHistory(policy), successfulSamples(policy),
                List.of());
    }

    /** Answers from built-in policies, without the stored history, or while the database fails, are flagged. */
    public boolean degraded() {
        return !policies.isLoadedFromDatabase() || !history.isLoaded() || !database.isHealthy();
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
