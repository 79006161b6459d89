package io.timeoutpolicy.analysis;

import io.timeoutpolicy.history.HistoryView;
import io.timeoutpolicy.history.SimulationTotals;
import io.timeoutpolicy.history.WindowStats;
import io.timeoutpolicy.platform.ServiceClock;
import io.timeoutpolicy.platform.problem.FieldError;
import io.timeoutpolicy.platform.problem.ProblemException;
import io.timeoutpolicy.policy.EnvironmentPolicy;
import io.timeoutpolicy.policy.InputLimits;
import io.timeoutpolicy.policy.Operation;
import io.timeoutpolicy.policy.PolicyStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Metrics, failure analysis and simulation, from the in-memory history only. */
@ApplicationScoped
public class AnalysisService {

    static final int MAX_TREND_BUCKETS = 1440;

    private final PolicyStore policies;
    private final HistoryView history;
    private final ServiceClock clock;

    AnalysisService(PolicyStore policies, HistoryView history, ServiceClock clock) {
        this.policies = policies;
        this.history = history;
        this.clock = clock;
    }

    public Metrics metrics(String rawEnvironment, String operationName, String service, String window) {
        EnvironmentPolicy policy = policies.require(rawEnvironment);
        Operation operation = operation(operationName);
        Duration span = window(window, "window", policy);
        String serviceName = service == null || service.isBlank() ? null : service;
        history.requireComplete(span);
        return Metrics.of(policy.environment(), operation.wireName(), serviceName, span,
                history.window(policy.environment(), operation, span, serviceName, true));
    }

    /** SPEC 4.4 over the policy's window of {@code connection} attempts. */
    public FailureAnalysis analysis(EnvironmentPolicy policy) {
        return FailureAnalyzer.analyze(policy.environment(), policy.cloudSql(), history.window(policy.environment(),
                Operation.CONNECTION, policy.adaptive().historyWindow(), null, false));
    }

    public FailureAnalysis analysis(String rawEnvironment) {
        EnvironmentPolicy policy = policies.require(rawEnvironment);
        history.requireComplete(policy.adaptive().historyWindow());
        return analysis(policy);
    }

    /** SPEC 4.7 over the policy's window of {@code connection} attempts. */
    public Assessment assessment(String rawEnvironment) {
        EnvironmentPolicy policy = policies.require(rawEnvironment);
        history.requireComplete(policy.adaptive().historyWindow());
        return Assessment.of(policy, history.window(policy.environment(), Operation.CONNECTION,
                policy.adaptive().historyWindow(), null, false));
    }

    /** The window cut into buckets of {@code bucket} (oldest first), and its direction. */
    public Trend trend(String rawEnvironment, String operationName, String window, String bucket) {
        EnvironmentPolicy policy = policies.require(rawEnvironment);
        Operation operation = operation(operationName);
        Duration span = window(window, "window", policy);
        Duration width = bucket == null || bucket.isBlank() ? Duration.ofHours(1) : parse(bucket, "bucket");
        if (width.compareTo(InputLimits.MIN_WINDOW) < 0 || span.dividedBy(width) > MAX_TREND_BUCKETS) {
            throw ProblemException.invalidField("bucket", "must be at least PT1M and cut the window into at most "
                    + MAX_TREND_BUCKETS + " buckets");
        }
        history.requireComplete(span);
        Instant end = clock.now();
        Instant start = end.minus(span);
        List<Trend.Bucket> buckets = new ArrayList<>();
        for (Instant from = start; from.isBefore(end); from = from.plus(width)) {
            Instant to = from.plus(width).isAfter(end) ? end.plusNanos(1000) : from.plus(width);
            WindowStats s = history.range(policy.environment(), operation, from, to);
            buckets.add(s.isEmpty() ? new Trend.Bucket(from, 0, null, null, null, null)
                    : new Trend.Bucket(from, s.count(), s.successRate(), s.average(), s.quantiles().at(0.99),
                            s.violationRate()));
        }
        return new Trend(policy.environment(), operation.wireName(), span.toString(), width.toString(),
                TrendDirection.of(buckets), buckets);
    }

    public Simulation.Answer simulate(String rawEnvironment, Simulation.Request request) {
        EnvironmentPolicy policy = policies.require(rawEnvironment);
        if (request == null || request.timeouts() == null || request.timeouts().isEmpty()) {
            throw ProblemException.invalidField("timeouts", "must name at least one timeout key and its seconds");
        }
        Duration span = window(request.window(), "window", policy);
        Map<Operation, Double> candidates = candidates(request.timeouts());
        history.requireComplete(span);
        Map<String, Simulation.Result> results = new LinkedHashMap<>();
        candidates.forEach((operation, seconds) -> {
            SimulationTotals totals = history.simulate(policy.environment(), operation, span, seconds);
            results.put(operation.timeoutKey(), new Simulation.Result(totals.attempts(), totals.wouldTimeOut(),
                    totals.falseTimeoutRate(), totals.totalWaitSeconds(), totals.currentTotalWaitSeconds()));
        });
        return new Simulation.Answer(policy.environment(), span.toString(), results);
    }

    private static Map<Operation, Double> candidates(Map<String, Double> timeouts) {
        List<FieldError> errors = new ArrayList<>();
        Map<Operation, Double> candidates = new LinkedHashMap<>();
        timeouts.forEach((key, seconds) -> {
            String field = "timeouts." + key;
            var operation = Operation.fromTimeoutKey(key);
            if (operation.isEmpty()) {
                errors.add(new FieldError(field, "must be one of " + Operation.timeoutKeys()));
            } else if (seconds == null || !Double.isFinite(seconds) || seconds <= 0
                    || seconds > InputLimits.MAX_SECONDS) {
                errors.add(new FieldError(field,
                        "must be greater than 0 and at most " + (long) InputLimits.MAX_SECONDS));
            } else {
                candidates.put(operation.get(), seconds);
            }
        });
        if (!errors.isEmpty()) {
            throw ProblemException.invalid("The simulation has " + errors.size() + " invalid field(s)", errors);
        }
        return candidates;
    }

    /** An operation by name (connection) or key; absent means connection (SPEC 4.1). */
    static Operation operation(String name) {
        return name == null || name.isBlank() ? Operation.CONNECTION : Operation.require(name);
    }

    /** An ISO-8601 window within the history kept in memory; absent means the policy's history window. */
    private Duration window(String text, String field, EnvironmentPolicy policy) {
        if (text == null || text.isBlank()) {
            return policy.adaptive().historyWindow();
        }
        return history.requireWithinHorizon(parse(text, field), field);
    }

    private static Duration parse(String text, String field) {
        try {
            return Duration.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw ProblemException.invalidField(field, "must be an ISO-8601 duration such as PT1H");
        }
    }
}
