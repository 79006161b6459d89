package io.timeoutpolicy.rollout;

import io.timeoutpolicy.policy.EnvironmentPolicy;

/**
 * SPEC 10.1 for one key, as pure code: the base that would have cut off only {@code target_false_timeout_rate}
 * of the successful attempts, with headroom, rounded up to 0.5 s, never below the longest success, and at most
 * one step (0.25× to 4×) away from the current base.
 */
public final class RecommendationRule {

    /** A proposal moves the base by at most this factor down… */
    static final double STEP_DOWN = 0.25;
    /** …or this factor up; a bigger change is proposed in steps. */
    static final double STEP_UP = 4.0;
    /** A proposal this close to the current base (relative) is {@code keep}: noise, not a change. */
    static final double KEEP_WITHIN = 0.10;
    /** Proposed bases are multiples of this many seconds. */
    static final double GRANULE = 0.5;
    /** Guards the rounding against the representation error of values that are exact multiples. */
    private static final double EPSILON = 1e-9;

    private RecommendationRule() {
    }

    /**
     * What the successful attempts of one operation in the window say: how many, the (1 − target) nearest-rank
     * quantile of their durations and the longest of them.
     */
    public record Evidence(long successes, double quantile, double longest) {
    }

    /**
     * @param recommendedBase the proposed base; the current one for {@code keep}; null for insufficient data
     * @param quantile the quantile the proposal starts from; null for insufficient data
     * @param stepLimited true when the wanted base was further than one step and the proposal stops at the step
     */
    public record Proposal(double currentBase, Double recommendedBase, Action action, long samples,
            int requiredSamples, Double quantile, double wantedBase, boolean stepLimited) {
    }

    public static Proposal propose(double currentBase, EnvironmentPolicy.Percentile settings, Evidence evidence) {
        if (evidence.successes() < settings.minSamples()) {
            return new Proposal(currentBase, null, Action.INSUFFICIENT_DATA, evidence.successes(),
                    settings.minSamples(), null, Double.NaN, false);
        }
        double wanted = roundUp(Math.max(evidence.quantile() * (1 + settings.headroom()), evidence.longest()));
        double bounded = withinOneStep(wanted, currentBase);
        boolean stepLimited = bounded != wanted;
        if (Math.abs(bounded - currentBase) <= KEEP_WITHIN * currentBase) {
            return new Proposal(currentBase, currentBase, Action.KEEP, evidence.successes(), settings.minSamples(),
                    evidence.quantile(), wanted, false);
        }
        return new Proposal(currentBase, bounded, bounded > currentBase ? Action.RAISE : Action.LOWER,
                evidence.successes(), settings.minSamples(), evidence.quantile(), wanted, stepLimited);
    }

    /** The wanted base kept within [0.25×, 4×] the current one, on a multiple of 0.5 s where the step allows one. */
    static double withinOneStep(double wanted, double currentBase) {
        double low = STEP_DOWN * currentBase;
        double high = STEP_UP * currentBase;
        if (wanted < low) {
            double rounded = roundUp(low);
            return rounded <= high ? rounded : low;
        }
        if (wanted > high) {
            double rounded = roundDown(high);
            return rounded >= low ? rounded : high;
        }
        return wanted;
    }

    /** The smallest multiple of 0.5 s at or above {@code seconds}. */
    public static double roundUp(double seconds) {
        return Math.ceil(seconds / GRANULE - EPSILON) * GRANULE;
    }

    static double roundDown(double seconds) {
        return Math.floor(seconds / GRANULE + EPSILON) * GRANULE;
    }
}
