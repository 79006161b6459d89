package io.timeoutpolicy.timeouts;

import io.timeoutpolicy.policy.Operation;
import io.timeoutpolicy.policy.Strategy;
import java.util.List;
import java.util.Map;

/** What {@link TimeoutCalculator} computed for all five operations. */
public record TimeoutResult(Strategy strategy, boolean adaptive, long samples, Map<Operation, Double> timeouts,
        Map<Operation, Explanation> explanations, List<String> pressure) {
}
