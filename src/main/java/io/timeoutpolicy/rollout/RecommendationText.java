package io.timeoutpolicy.rollout;

import io.timeoutpolicy.platform.Decimals;
import io.timeoutpolicy.policy.EnvironmentPolicy;
import io.timeoutpolicy.policy.Operation;

/** The sentence a person reads for one changed key (SPEC 10.1). */
final class RecommendationText {

    private RecommendationText() {
    }

    static String of(Operation operation, RecommendationRule.Proposal p, EnvironmentPolicy.Percentile settings,
            Recommendations.Backtests backtest) {
        StringBuilder text = new StringBuilder(operation.timeoutKey()).append(": ").append(p.action().wireName())
                .append(" the base from ").append(s(p.currentBase())).append(" to ").append(s(p.recommendedBase()))
                .append(", because the ").append(percentile(1 - settings.targetFalseTimeoutRate()))
                .append(" percentile of ").append(p.samples()).append(" successful ").append(operation.wireName())
                .append(" attempts is ").append(s(p.quantile())).append(" (with ")
                .append(Decimals.factor(settings.headroom() * 100)).append("% headroom, rounded up to 0.5 s and"
                        + " never below the longest success: ").append(s(p.wantedBase())).append(")");
        if (p.stepLimited()) {
            text.append("; the change is limited to one step (").append(Decimals.factor(RecommendationRule.STEP_DOWN))
                    .append("× to ").append(Decimals.factor(RecommendationRule.STEP_UP))
                    .append("× the current base), so ask again after this one");
        }
        text.append("; over the window it would have cut off ").append(backtest.candidate().wouldTimeOut())
                .append(" successful attempts instead of ").append(backtest.current().wouldTimeOut())
                .append(" (effective timeout ").append(s(backtest.candidate().effectiveTimeout()))
                .append(" instead of ").append(s(backtest.current().effectiveTimeout())).append(").");
        return text.toString();
    }

    /** 0.999 → "99.9th". */
    private static String percentile(double level) {
        return Decimals.factor(Math.round(level * 1e6) / 1e4) + "th";
    }

    private static String s(double seconds) {
        return Decimals.oneDecimal(seconds) + "s";
    }
}
