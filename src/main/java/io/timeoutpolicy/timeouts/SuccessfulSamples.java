package io.timeoutpolicy.timeouts;

import io.timeoutpolicy.policy.Operation;
import java.util.Map;

/**
 * What the percentile strategy (SPEC 4.3) needs per operation: how many successful attempts the window
 * holds and the (1 − target_false_timeout_rate) quantile of their durations.
 */
public record SuccessfulSamples(Map<Operation, Sample> byOperation) {

    public static final SuccessfulSamples NONE = new SuccessfulSamples(Map.of());

    public record Sample(long count, double quantile) {
    }

    Sample of(Operation operation) {
        return byOperation.getOrDefault(operation, new Sample(0, 0.0));
    }
}
