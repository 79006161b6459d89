package io.timeoutpolicy.bypass;

import io.timeoutpolicy.analysis.FailureAnalysis;
import io.timeoutpolicy.policy.EnvironmentPolicy;
import java.util.List;

/**
 * SPEC 4.5 as pure code: the rules in their order, the first that decides wins and is named in the
 * verdict. Thresholds and infrastructure failure types come from the environment's policy.
 */
public final class BypassRules {

    public static final String NO_FAILURES = "no_failures";
    public static final String MANUAL_OVERRIDE = "manual_override";
    public static final String GENUINE_FAILURE = "genuine_failure";
    public static final String STRICT = "strict";
    public static final String PERMISSIVE = "permissive";
    public static final String PERMISSIVE_LIMIT_EXCEEDED = "permissive_limit_exceeded";
    public static final String CONDITIONAL = "conditional";
    public static final String CONDITIONAL_LIMIT_EXCEEDED = "conditional_limit_exceeded";
    public static final String BASIC = "basic";
    public static final String BASIC_LIMIT_EXCEEDED = "basic_limit_exceeded";
    public static final String INFRASTRUCTURE_FAILURES = "infrastructure_failures";

    /** What was decided, by which rule, why; degraded when the analysis was unavailable. */
    public record Verdict(boolean bypass, String rule, String reason, boolean degraded) {
    }

    /** The input of a decision, failure types already lower-case. */
    public record Input(int criticalFailures, boolean manualOverride, List<String> failureTypes) {
    }

    private BypassRules() {
    }

    /**
     * @param analysis the failure analysis of the environment, or null when it could not be computed
     */
    public static Verdict decide(Input input, EnvironmentPolicy policy, FailureAnalysis analysis) {
        int failures = input.criticalFailures();
        if (failures == 0) {
            return new Verdict(false, NO_FAILURES, "No critical failures: there is nothing to bypass", false);
        }
        if (input.manualOverride()) {
            return new Verdict(true, MANUAL_OVERRIDE, "Manual override: " + failures
                    + " critical failure(s) bypassed on request", false);
        }
        EnvironmentPolicy.Bypass limits = policy.bypass();
        List<String> genuine = input.failureTypes().stream()
                .filter(type -> !limits.infrastructureFailureTypes().contains(type)).toList();
        if (!genuine.isEmpty()) {
            return new Verdict(false, GENUINE_FAILURE, "Failure type(s) " + genuine + " are not infrastructure"
                    + " failures of " + policy.environment() + "; only a manual override can pass them", false);
        }
        Verdict byAnalysis = byAnalysis(failures, limits, analysis);
        if (!byAnalysis.bypass() && !input.failureTypes().isEmpty()
                && failures <= limits.infrastructureMaxFailures()) {
            return new Verdict(true, INFRASTRUCTURE_FAILURES, "All " + failures + " critical failure(s) are"
                    + " infrastructure failures " + input.failureTypes() + ", within the limit of "
                    + limits.infrastructureMaxFailures() + " (" + byAnalysis.rule() + " alone said no)",
                    byAnalysis.degraded());
        }
        return byAnalysis;
    }

    /** Step 4: the recommendation of the failure analysis, or the basic logic without one. */
    private static Verdict byAnalysis(int failures, EnvironmentPolicy.Bypass limits, FailureAnalysis analysis) {
        String recommendation = analysis == null ? FailureAnalysis.CONSERVATIVE : analysis.bypassRecommendation();
        boolean degraded = analysis == null;
        return switch (recommendation) {
            case FailureAnalysis.STRICT -> new Verdict(false, STRICT, "The connection history is healthy ("
                    + analysis.reason() + "), so the failures are not the database's: no bypass", false);
            case FailureAnalysis.PERMISSIVE -> limited(failures, limits.permissiveMaxFailures(), PERMISSIVE,
                    PERMISSIVE_LIMIT_EXCEEDED, "the analysis recommends permissive (" + analysis.reason() + ")", false);
            case FailureAnalysis.CONDITIONAL -> limited(failures, limits.conditionalMaxFailures(), CONDITIONAL,
                    CONDITIONAL_LIMIT_EXCEEDED, "the analysis recommends conditional (" + analysis.reason() + ")",
                    false);
            default -> limited(failures, limits.basicMaxFailures(), BASIC, BASIC_LIMIT_EXCEEDED,
                    degraded ? "the history is unavailable, so basic logic applies"
                            : "there is no connection history, so basic logic applies", degraded);
        };
    }

    private static Verdict limited(int failures, int max, String allowed, String exceeded, String why,
            boolean degraded) {
        boolean within = failures <= max;
        String reason = failures + " critical failure(s) " + (within ? "within" : "exceed") + " the limit of " + max
                + ": " + why;
        return new Verdict(within, within ? allowed : exceeded, reason, degraded);
    }
}
