package io.timeoutpolicy.instances;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/environments/{environment}/instances")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Policy changes", description = "Recommendations, candidates, canaries and who runs what (docs/policy-changes.md)")
public class InstancesResource {

    private final InstanceRegistry registry;

    InstancesResource(InstanceRegistry registry) {
        this.registry = registry;
    }

    @GET
    @Operation(operationId = "listInstances", summary = "Who runs what",
            description = "The instances seen since `since` (default: the policy's history window), newest first, at"
                    + " most 10 000: the version this service last served each and the policy_version of its latest"
                    + " attempt, whether it is in the canary's cohort, and the versions in use with their counts"
                    + " (docs/policy-changes.md). Summed over every replica.")
    @APIResponse(responseCode = "200", description = "The instances.", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = InstanceList.class)))
    @APIResponse(responseCode = "400", description = "Malformed environment or since.")
    @APIResponse(responseCode = "404", description = "Unknown environment.")
    public Uni<InstanceList> list(@Parameter(description = "Environment name, case-insensitive.", example = "staging")
            @PathParam("environment") String environment,
            @Parameter(description = "ISO-8601 instant: only instances seen at or after it.",
                    example = "2026-11-22T00:00:00Z") @QueryParam("since") String since) {
        return registry.list(environment, since);
    }
}
