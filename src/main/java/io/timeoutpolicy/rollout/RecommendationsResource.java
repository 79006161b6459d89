package io.timeoutpolicy.rollout;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/environments/{environment}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Policy changes", description = "Recommendations, candidates, canaries and who runs what (docs/policy-changes.md)")
public class RecommendationsResource {

    private final RecommendationService service;

    RecommendationsResource(RecommendationService service) {
        this.service = service;
    }

    @GET
    @Path("recommendations")
    @Operation(operationId = "getRecommendations",
            summary = "Recommended base timeouts", description = "For each key, a base timeout from the successful"
            + " attempts in the policy's window (the (1 − target_false_timeout_rate) quantile with headroom, rounded"
            + " up to 0.5 s, never below the longest success, at most one 0.25×–4× step), the backtest of the"
            + " current policy and of the candidate, and the candidate document ready to PUT (docs/policy-changes.md).")
    @APIResponse(responseCode = "200", description = "The recommendations.", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Recommendations.class)))
    @APIResponse(responseCode = "400", description = "Malformed environment name.")
    @APIResponse(responseCode = "404", description = "Unknown environment; the detail lists the known ones.")
    @APIResponse(responseCode = "503", description = "The history window is still being read; Retry-After says when"
            + " to ask again.")
    public Uni<Recommendations> recommendations(@Parameter(description = "Environment name, case-insensitive.",
            example = "staging") @PathParam("environment") String environment) {
        // A backtest passes over every attempt of the window (tens of milliseconds at ten million): off the event loop.
        return Uni.createFrom().item(() -> service.recommend(environment))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
