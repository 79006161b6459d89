package io.timeoutpolicy.rollout;

import io.timeoutpolicy.platform.Decimals;
import io.timeoutpolicy.policy.Rollout;
import java.util.Optional;

/**
 * SPEC 10.2's guard as pure code: with at least {@code min_attempts} canary {@code connection} attempts, a canary
 * whose violation rate exceeds the control's by more than {@code max_violation_rate_increase} points, or whose
 * failure rate exceeds it by more than {@code max_failure_rate_increase}, is rolled back.
 */
public final class Guard {

    private Guard() {
    }

    /** Why a canary is rolled back: which rate, the canary's value and the largest it could have been. */
    public record Breach(String rate, double canary, double control, double threshold, String reason) {
    }

    public static Optional<Breach> breach(Rollout.Guard guard, Score.Cohort canary, Score.Cohort control) {
        if (canary.attempts() < guard.minAttempts()) {
            return Optional.empty();
        }
        double violationLimit = control.violationRate() + guard.maxViolationRateIncrease();
        if (canary.violationRate() > violationLimit) {
            return Optional.of(new Breach("violation_rate", canary.violationRate(), control.violationRate(),
                    violationLimit, sentence("violation", canary.violationRate(), control.violationRate(),
                            guard.maxViolationRateIncrease(), canary.attempts())));
        }
        double failureLimit = control.failureRate() + guard.maxFailureRateIncrease();
        if (canary.failureRate() > failureLimit) {
            return Optional.of(new Breach("failure_rate", canary.failureRate(), control.failureRate(),
                    failureLimit, sentence("failure", canary.failureRate(), control.failureRate(),
                            guard.maxFailureRateIncrease(), canary.attempts())));
        }
        return Optional.empty();
    }

    private static String sentence(String rate, double canary, double control, double allowed, long attempts) {
        return "the canary's " + rate + " rate " + Decimals.oneDecimal(canary) + "% over " + attempts
                + " connection attempts exceeds the control's " + Decimals.oneDecimal(control) + "% by more than "
                + Decimals.factor(allowed) + " points";
    }
}
