package io.timeoutpolicy.instances;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code GET /environments/{env}/instances} (SPEC 10.3). */
@Schema(name = "InstanceList", description = "The instances seen since `since`, newest first (at most 10 000).",
        example = "{\"environment\": \"staging\", \"since\": \"2026-11-21T10:15:30Z\", \"items\": [{\"instance\":"
                + " \"orders-api-7d9f-1234\", \"service\": \"orders-api\", \"last_seen\": \"2026-11-22T10:15:30Z\","
                + " \"served_version\": 4, \"reported_version\": 4, \"canary\": true}], \"versions\": {\"served\":"
                + " {\"4\": 1}, \"reported\": {\"4\": 1}}}")
public record InstanceList(String environment, Instant since, List<Item> items, Versions versions) {

    @Schema(name = "InstanceItem", description = "One instance.")
    public record Item(
            @Schema(description = "As the instance names itself.", example = "orders-api-7d9f-1234") String instance,
            @Schema(nullable = true, description = "The service of its latest attempt.") String service,
            @Schema(description = "When this service last heard of it.") Instant lastSeen,
            @Schema(nullable = true, description = "The version of the last answer this service gave it.")
            Integer servedVersion,
            @Schema(nullable = true, description = "The policy_version of its latest attempt.") Integer reportedVersion,
            @Schema(description = "Whether it is in the cohort of the environment's canary now.") boolean canary) {
    }

    /** The versions in use with their counts: what the dashboard's panel shows. */
    @Schema(name = "VersionsInUse", description = "How many of the listed instances were served / reported each"
            + " version.")
    public record Versions(Map<Integer, Long> served, Map<Integer, Long> reported) {
    }
}
