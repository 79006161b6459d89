package io.timeoutpolicy.rollout;

import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A candidate's score, summed over every replica (SPEC 10.2). */
@Schema(name = "CandidateScore", description = "Every attempt recorded while the candidate exists, scored against the"
        + " candidate's and the current version's effective timeouts (per key), and the two cohorts of a canary.")
public record Score(
        @Schema(description = "Per timeout key.") Map<String, KeyScore> keys,
        @Schema(description = "connection attempts by the policy_version their client applied.") Cohorts cohorts) {

    @Schema(name = "KeyScore", description = "Attempts of one operation against both effective timeouts (computed as"
            + " timeouts are, without pressure, when each attempt was recorded).")
    public record KeyScore(long attempts, long violationsCurrent, long violationsCandidate,
            @Schema(description = "Percent.") double violationRateCurrent,
            @Schema(description = "Percent.") double violationRateCandidate,
            @Schema(nullable = true, description = "Seconds; null without attempts.") Double meanTimeoutCurrent,
            @Schema(nullable = true, description = "Seconds; null without attempts.") Double meanTimeoutCandidate) {

        static KeyScore of(long attempts, long violationsCurrent, long violationsCandidate, double timeoutCurrentSum,
                double timeoutCandidateSum) {
            return new KeyScore(attempts, violationsCurrent, violationsCandidate, percent(violationsCurrent, attempts),
                    percent(violationsCandidate, attempts), attempts == 0 ? null : timeoutCurrentSum / attempts,
                    attempts == 0 ? null : timeoutCandidateSum / attempts);
        }
    }

    @Schema(name = "Cohorts", description = "The canary cohort (attempts reporting the candidate's version) and the"
            + " control (the current version's).")
    public record Cohorts(Cohort canary, Cohort control) {
    }

    @Schema(name = "Cohort", description = "connection attempts of one cohort; rates in percent.")
    public record Cohort(long attempts, double violationRate, double failureRate) {

        static Cohort of(long attempts, long violations, long failures) {
            return new Cohort(attempts, percent(violations, attempts), percent(failures, attempts));
        }
    }

    static double percent(long part, long whole) {
        return whole == 0 ? 0.0 : part * 100.0 / whole;
    }
}
