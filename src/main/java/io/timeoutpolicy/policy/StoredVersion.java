package io.timeoutpolicy.policy;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One version of a policy with where it stands (SPEC 10.2): the document's fields, then its status. */
@Schema(name = "PolicyVersion", description = "A policy document (docs/design.md §3.1) with its status (docs/policy-changes.md).")
public record StoredVersion(
        @JsonUnwrapped EnvironmentPolicy policy,
        @Schema(description = "current, superseded, candidate, aborted or rolled_back.", example = "current")
        VersionStatus status,
        @Schema(nullable = true, description = "A candidate's rollout; null for ordinary versions.") Rollout rollout,
        @Schema(nullable = true, description = "Why the status last changed: a rollback's reason and both cohorts'"
                + " figures, or the version that replaced an aborted candidate.", implementation = Object.class)
        JsonNode statusReason,
        @Schema(nullable = true, description = "When the status last changed.") Instant statusChangedAt,
        @Schema(nullable = true, description = "Who changed it: an API key's name, or guard.") String statusChangedBy) {

    public int version() {
        return policy.version();
    }

    public String environment() {
        return policy.environment();
    }
}
