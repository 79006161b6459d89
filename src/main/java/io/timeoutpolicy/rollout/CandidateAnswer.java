package io.timeoutpolicy.rollout;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.timeoutpolicy.policy.EnvironmentPolicy;
import io.timeoutpolicy.policy.Rollout;
import io.timeoutpolicy.policy.VersionStatus;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A candidate version (SPEC 10.2): its document, status and rollout, and its score so far. */
@Schema(name = "Candidate", description = "The policy document of the candidate version (docs/design.md §3.1) with status,"
        + " rollout and score.")
public record CandidateAnswer(
        @JsonUnwrapped EnvironmentPolicy policy,
        @Schema(description = "candidate while it is tried.", example = "candidate") VersionStatus status,
        Rollout rollout,
        @Schema(nullable = true, description = "The score so far; null in the answer to the PUT that created it.")
        Score score) {
}
