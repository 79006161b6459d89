package io.timeoutpolicy.rollout;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer of {@code GET /environments/{env}/recommendations} (SPEC 10.1). */
@Schema(name = "Recommendations", description = "Proposed base timeouts from the history, their backtest, and a"
        + " candidate document ready to PUT.", example = RolloutExamples.RECOMMENDATIONS)
public record Recommendations(
        @Schema(description = "Lower-case environment name.", example = "staging") String environment,
        @Schema(description = "The current policy version the proposals start from.", example = "3")
        int policyVersion,
        @Schema(description = "The history window (the policy's), ISO-8601.", example = "PT24H") String window,
        @Schema(description = "One proposal per timeout key.") Map<String, KeyRecommendation> recommendations,
        @Schema(description = "The sum of the five effective timeouts, one try each.")
        Pair worstCaseStartupSeconds,
        @Schema(description = "The complete policy document with the recommended bases, without read-only fields:"
                + " the body of a PUT on …/policy or …/policy/candidate.", implementation = Object.class)
        ObjectNode candidate,
        @Schema(description = "The If-Match header for that PUT: the current version as an entity tag.",
                example = "\"3\"") String ifMatch,
        @Schema(description = "One sentence per changed key.") List<String> text) {

    @Schema(name = "KeyRecommendation", description = "The proposal for one key and its backtest.")
    public record KeyRecommendation(
            @Schema(description = "The current base, seconds.", example = "75.0") double currentBase,
            @Schema(nullable = true, description = "The proposed base (seconds, a multiple of 0.5); the current"
                    + " base for keep; null for insufficient_data.", example = "45.5") Double recommendedBase,
            @Schema(description = "raise, lower, keep or insufficient_data.", example = "lower") Action action,
            @Schema(description = "Successful attempts of the key's operation in the window.", example = "1200")
            long samples,
            @Schema(description = "How many successful attempts a proposal needs (percentile.min_samples).",
                    example = "50") int requiredSamples,
            @Schema(nullable = true, description = "The (1 − target_false_timeout_rate) nearest-rank quantile of"
                    + " their durations, seconds.", example = "37.6") Double quantile,
            @Schema(description = "True when the wanted base is more than one step (0.25× to 4×) away: the proposal"
                    + " stops at the step and a later one goes on.", example = "false") boolean stepLimited,
            @Schema(description = "The key under the current policy and under the candidate.") Backtests backtest) {
    }

    @Schema(name = "BacktestFigures", description = "One effective timeout against the window's attempts.")
    public record BacktestFigures(
            @Schema(description = "The effective timeout (the environment's strategy, no pressure), seconds.",
                    example = "49.2") double effectiveTimeout,
            @Schema(description = "Successful attempts longer than it.", example = "1") long wouldTimeOut,
            @Schema(description = "would_time_out over the successful attempts (0 to 1).", example = "0.0008")
            double falseTimeoutRate,
            @Schema(description = "Σ min(duration, effective timeout) over all attempts, seconds.", example = "4212.5")
            double totalWaitSeconds) {
    }

    @Schema(name = "CurrentAndCandidate", description = "A figure under the current policy and under the candidate.",
            example = "{\"current\": 270.0, \"candidate\": 214.5}")
    public record Pair(double current, double candidate) {
    }

    @Schema(name = "Backtests", description = "The backtest under the current policy and under the candidate.")
    public record Backtests(BacktestFigures current, BacktestFigures candidate) {
    }
}
