package io.timeoutpolicy.policy;

import io.timeoutpolicy.platform.http.ETags;
import io.timeoutpolicy.platform.problem.ProblemException;
import java.util.Optional;

/**
 * SPEC 10.2's preconditions as pure code, decided against the versions PostgreSQL holds at that moment (the
 * rows are locked while the change is made): which If-Match each change needs, and 428, 412, 409 or 404.
 */
public final class CandidateRules {

    private CandidateRules() {
    }

    /** The current version and the candidate's (null when there is none) of one environment. */
    public record Heads(String environment, int current, Integer candidate) {
    }

    /**
     * PUT …/policy/candidate: If-Match names the current version to create a candidate (412 when stale), or the
     * candidate's to replace it (409 otherwise: one candidate per environment).
     */
    public static Optional<ProblemException> putCandidate(String ifMatch, Heads heads) {
        if (ifMatch == null) {
            return Optional.of(ProblemException.preconditionRequired("A candidate for '" + heads.environment()
                    + "' needs If-Match: " + ETags.of(heads.current()) + " (the current version)"
                    + (heads.candidate() == null ? "" : ", or " + ETags.of(heads.candidate())
                            + " to replace the candidate")));
        }
        if (heads.candidate() == null) {
            return ETags.matches(ifMatch, heads.current()) ? Optional.empty() : Optional.of(stale(heads));
        }
        if (ETags.matches(ifMatch, heads.candidate())) {
            return Optional.empty();
        }
        return Optional.of(ProblemException.conflict("candidate-exists", "'" + heads.environment()
                + "' has candidate version " + heads.candidate() + " already; replace it with If-Match: "
                + ETags.of(heads.candidate()) + ", or promote or delete it first"));
    }

    /** DELETE …/policy/candidate and POST …/candidate/promote: If-Match names the candidate. */
    public static Optional<ProblemException> onCandidate(String ifMatch, Heads heads) {
        if (heads.candidate() == null) {
            return Optional.of(noCandidate(heads.environment()));
        }
        if (ifMatch == null) {
            return Optional.of(ProblemException.preconditionRequired("This needs If-Match with the candidate's"
                    + " version: If-Match: " + ETags.of(heads.candidate())));
        }
        if (!ETags.matches(ifMatch, heads.candidate())) {
            return Optional.of(ProblemException.preconditionFailed("If-Match does not name the candidate of '"
                    + heads.environment() + "', which is " + ETags.of(heads.candidate())));
        }
        return Optional.empty();
    }

    /** PUT …/policy on an existing environment: If-Match names the current version; never beside a candidate. */
    public static Optional<ProblemException> replaceCurrent(String ifMatch, Heads heads) {
        if (ifMatch == null) {
            return Optional.of(ProblemException.preconditionRequired("Replacing the policy of '" + heads.environment()
                    + "' needs If-Match with its current version: If-Match: " + ETags.of(heads.current())));
        }
        if (heads.candidate() != null) {
            return Optional.of(ProblemException.conflict("candidate-exists", "'" + heads.environment()
                    + "' has candidate version " + heads.candidate() + "; promote or delete it before replacing"
                    + " the policy"));
        }
        return ETags.matches(ifMatch, heads.current()) ? Optional.empty() : Optional.of(stale(heads));
    }

    public static ProblemException noCandidate(String environment) {
        return ProblemException.notFound("no-candidate", "'" + environment + "' has no candidate version");
    }

    private static ProblemException stale(Heads heads) {
        return ProblemException.preconditionFailed("If-Match does not name the current version of '"
                + heads.environment() + "', which is " + ETags.of(heads.current()));
    }
}
