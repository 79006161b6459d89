package io.timeoutpolicy.timeouts;

import io.timeoutpolicy.platform.Decimals;
import io.timeoutpolicy.policy.EnvironmentPolicy;
import io.timeoutpolicy.policy.Operation;

/**
 * SPEC 4.3: the timeout that would have cut off only {@code target_false_timeout_rate} of the successful
 * attempts, with headroom, kept within [floor, ceiling] × base. Uses the operation's own attempts, or the
 * {@code connection} ones when the operation has too few; null when neither has enough.
 */
final class PercentileTimeout {

    private PercentileTimeout() {
    }

    static Explanation of(Operation operation, double base, EnvironmentPolicy.Percentile settings,
            SuccessfulSamples successful) {
        Operation source = operation;
        SuccessfulSamples.Sample sample = successful.of(operation);
        if (sample.count() < settings.minSamples()) {
            source = Operation.CONNECTION;
            sample = successful.of(Operation.CONNECTION);
        }
        if (sample.count() < settings.minSamples()) {
            return null;
        }
        double withHeadroom = sample.quantile() * (1 + settings.headroom());
        double t = Math.min(settings.ceiling() * base, Math.max(settings.floor() * base, withHeadroom));
        String text = operation.timeoutKey() + ": quantile " + Decimals.factor(1 - settings.targetFalseTimeoutRate())
                + " of " + sample.count() + " successful " + source.wireName() + " attempts = "
                + Decimals.oneDecimal(sample.quantile()) + "s, + " + Decimals.factor(settings.headroom())
                + " headroom = " + Decimals.oneDecimal(withHeadroom) + "s, kept within ["
                + Decimals.factor(settings.floor()) + ", " + Decimals.factor(settings.ceiling()) + "] × base "
                + Decimals.oneDecimal(base) + "s = " + Decimals.oneDecimal(t) + "s";
        return new Explanation(Branch.PERCENTILE, base, t / base, 0.0, 0.0, 1.0, sample.count(), text);
    }
}
