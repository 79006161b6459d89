package io.timeoutpolicy.timeouts;

import io.timeoutpolicy.history.ConnectionHistory;
import io.timeoutpolicy.platform.Decimals;
import io.timeoutpolicy.policy.EnvironmentPolicy;
import io.timeoutpolicy.policy.Operation;
import io.timeoutpolicy.policy.Strategy;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The effective timeouts of SPEC 4.2: static, insufficient data or heuristic, then the pressure
 * indicators on top. Pure: the policy, the history and the pressure names in, a result out.
 */
public final class TimeoutCalculator {

    private TimeoutCalculator() {
    }

    /** The heuristic strategy only (SPEC 4.2). */
    public static TimeoutResult compute(EnvironmentPolicy policy, ConnectionHistory history, List<String> pressure) {
        return compute(policy, history, SuccessfulSamples.NONE, pressure);
    }

    /**
     * @param successful per-operation samples for the percentile strategy (ignored by the heuristic one)
     * @param pressure indicator names already checked against the policy, each once
     */
    public static TimeoutResult compute(EnvironmentPolicy policy, ConnectionHistory history,
            SuccessfulSamples successful, List<String> pressure) {
        long n = history.samples();
        EnvironmentPolicy.Adaptive settings = policy.adaptive();
        // SPEC 4.2 step 1: Cloud SQL always adapts; elsewhere only with enough local evidence.
        boolean adaptive = policy.cloudSql() || n >= settings.minSamplesLocal();
        HeuristicMultiplier heuristic = HeuristicMultiplier.of(policy.cloudSql(), history);
        Map<Operation, Double> timeouts = new EnumMap<>(Operation.class);
        Map<Operation, Explanation> explanations = new EnumMap<>(Operation.class);
        for (Operation operation : Operation.values()) {
            double base = policy.baseTimeouts().of(operation);
            Explanation beforePressure = settings.strategy() == Strategy.PERCENTILE
                    ? PercentileTimeout.of(operation, base, settings.percentile(), successful) : null;
            if (beforePressure == null) {
                beforePressure = heuristicFamily(operation, base, n, adaptive, heuristic, policy);
            }
            Explanation explained = withPressure(beforePressure, operation, policy.pressureMultipliers(), pressure);
            timeouts.put(operation, valueOf(explained));
            explanations.put(operation, explained);
        }
        return new TimeoutResult(settings.strategy(), adaptive, n, timeouts, explanations, List.copyOf(pressure));
    }

    /** The timeout an explanation describes: base × multiplier + buffers, × pressure. */
    public static double valueOf(Explanation e) {
        return (e.base() * e.multiplier() + e.scalingBuffer() + e.capacityBuffer()) * e.pressureFactor();
    }

    /** SPEC 4.2 steps 1-3; under the percentile strategy, the answer for keys with too few samples. */
    private static Explanation heuristicFamily(Operation operation, double base, long n, boolean adaptive,
            HeuristicMultiplier heuristic, EnvironmentPolicy policy) {
        EnvironmentPolicy.Adaptive settings = policy.adaptive();
        Explanation e;
        if (!adaptive) {
            e = staticTimeout(operation, base, n, settings.minSamplesLocal());
        } else if (n < settings.minSamples()) {
            e = insufficientData(operation, base, n, settings);
        } else {
            e = heuristic(operation, base, n, heuristic, policy.vpcConnector());
        }
        if (settings.strategy() != Strategy.PERCENTILE) {
            return e;
        }
        return new Explanation(e.branch(), e.base(), e.multiplier(), e.scalingBuffer(), e.capacityBuffer(),
                e.pressureFactor(), e.samples(), e.text() + "; the percentile strategy had fewer than "
                        + settings.percentile().minSamples() + " successful attempts, so the heuristic answered");
    }

    private static Explanation staticTimeout(Operation operation, double base, long n, int minSamplesLocal) {
        String text = operation.timeoutKey() + ": base " + s(base) + " (static: not a Cloud SQL environment and "
                + n + " of " + minSamplesLocal + " samples needed to adapt)";
        return new Explanation(Branch.STATIC, base, 1.0, 0.0, 0.0, 1.0, n, text);
    }

    private static Explanation insufficientData(Operation operation, double base, long n,
            EnvironmentPolicy.Adaptive settings) {
        double factor = settings.insufficientDataFactor();
        String text = operation.timeoutKey() + ": base " + s(base) + " × " + Decimals.factor(factor)
                + " (insufficient data: " + n + " of " + settings.minSamples() + " samples) = " + s(base * factor);
        return new Explanation(Branch.INSUFFICIENT_DATA, base, factor, 0.0, 0.0, 1.0, n, text);
    }

    private static Explanation heuristic(Operation operation, double base, long n, HeuristicMultiplier heuristic,
            EnvironmentPolicy.VpcConnector vpc) {
        double m = heuristic.value();
        double t = base * m;
        StringBuilder text = new StringBuilder(operation.timeoutKey()).append(": base ").append(s(base))
                .append(" × ").append(Decimals.factor(m)).append(" (heuristic over ").append(n).append(" samples");
        if (!heuristic.reasons().isEmpty()) {
            text.append(": ").append(String.join("; ", heuristic.reasons()));
        }
        text.append(") = ").append(s(t));
        double scaling = 0.0;
        double capacity = 0.0;
        if (vpc.capacityAwareTimeouts()) {
            scaling = vpc.scalingBufferTimeout();
            capacity = vpc.capacityBufferRatio() * t;
            text.append(" + ").append(s(scaling)).append(" VPC scaling buffer + ").append(s(capacity))
                    .append(" capacity buffer (").append(Decimals.factor(vpc.capacityBufferRatio()))
                    .append(" of it) = ").append(s(t + scaling + capacity));
        }
        return new Explanation(Branch.HEURISTIC, base, m, scaling, capacity, 1.0, n, text.toString());
    }

    /** SPEC 4.2 step 4: applied last, in every branch. */
    static Explanation withPressure(Explanation e, Operation operation,
            Map<String, Map<String, Double>> multipliers, List<String> pressure) {
        double factor = 1.0;
        List<String> applied = new ArrayList<>();
        for (String name : pressure) {
            Double f = multipliers.getOrDefault(name, Map.of()).get(operation.timeoutKey());
            if (f != null) {
                factor *= f;
                applied.add(name);
            }
        }
        if (applied.isEmpty()) {
            return e;
        }
        Explanation withFactor = new Explanation(e.branch(), e.base(), e.multiplier(), e.scalingBuffer(),
                e.capacityBuffer(), factor, e.samples(), e.text());
        String text = e.text() + "; × " + Decimals.factor(factor) + " for pressure (" + String.join(", ", applied)
                + ") = " + s(valueOf(withFactor));
        return new Explanation(e.branch(), e.base(), e.multiplier(), e.scalingBuffer(), e.capacityBuffer(), factor,
                e.samples(), text);
    }

    private static String s(double seconds) {
        return Decimals.oneDecimal(seconds) + "s";
    }
}
