package io.timeoutpolicy.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.timeoutpolicy.platform.http.ApiDocumentation;
import io.timeoutpolicy.platform.http.ETags;
import io.timeoutpolicy.policy.CandidateService;
import io.timeoutpolicy.policy.EnvironmentPolicy;
import io.timeoutpolicy.security.Callers;
import io.timeoutpolicy.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/environments/{environment}/policy/candidate")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Policy changes", description = "Recommendations, candidates, canaries and who runs what (docs/policy-changes.md)")
public class CandidateResource {

    private final CandidateService candidates;
    private final ShadowScores scores;
    private final SecurityIdentity identity;

    CandidateResource(CandidateService candidates, ShadowScores scores, SecurityIdentity identity) {
        this.candidates = candidates;
        this.scores = scores;
        this.identity = identity;
    }

    @PUT
    @RolesAllowed(Roles.OPERATOR)
    @SecurityRequirement(name = ApiDocumentation.BEARER, scopes = Roles.OPERATOR)
    @SecurityRequirement(name = ApiDocumentation.API_KEY, scopes = Roles.OPERATOR)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "putCandidate", summary = "Create or replace the candidate version",
            description = "A complete policy document plus rollout {mode shadow|canary, percent (canary), guard}"
                    + " becomes the next version with status candidate. If-Match names the current version to create"
                    + " it, or the candidate's to replace it (docs/policy-changes.md).")
    @RequestBody(content = @Content(schema = @Schema(type = SchemaType.OBJECT, description = "A complete policy"
            + " document (PolicyUpdate) with one more member, rollout: {mode: shadow | canary, percent: 1–100 for a"
            + " canary, guard: {min_attempts (50), max_violation_rate_increase (5.0), max_failure_rate_increase"
            + " (5.0)}}."),
            example = "{\"cloud_sql\": false, \"base_timeouts\": {\"initialization_timeout\": 30.0,"
                    + " \"table_setup_timeout\": 15.0, \"connection_timeout\": 5.0, \"pool_timeout\": 30.0,"
                    + " \"health_check_timeout\": 10.0}, \"rollout\": {\"mode\": \"canary\", \"percent\": 10}}"))
    @APIResponse(responseCode = "201", description = "The candidate; ETag is its version.",
            content = @Content(schema = @Schema(implementation = CandidateAnswer.class)))
    @APIResponse(responseCode = "400", description = "Invalid document or rollout; errors lists each field.")
    @APIResponse(responseCode = "401", description = "No API key, or an unknown one.")
    @APIResponse(responseCode = "403", description = "The key lacks the operator role.")
    @APIResponse(responseCode = "404", description = "Unknown environment.")
    @APIResponse(responseCode = "409", description = "A candidate exists and If-Match does not name it.")
    @APIResponse(responseCode = "412", description = "If-Match does not name the current version.")
    @APIResponse(responseCode = "428", description = "No If-Match.")
    public Uni<Response> put(@Parameter(description = "Environment name, case-insensitive.", example = "staging")
            @PathParam("environment") String environment,
            @Parameter(description = "The current version to create a candidate, the candidate's to replace it.",
                    example = "\"1\"") @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            JsonNode body) {
        return candidates.put(environment, ifMatch, body, Callers.nameOf(identity)).map(candidate -> Response
                .status(Response.Status.CREATED)
                .header(HttpHeaders.LOCATION, "/api/v1/environments/" + candidate.environment() + "/policy/candidate")
                .header(HttpHeaders.ETAG, ETags.of(candidate.version()))
                .entity(new CandidateAnswer(candidate.policy(), candidate.status(), candidate.rollout(), null))
                .build());
    }

    @GET
    @Operation(operationId = "getCandidate", summary = "Read the candidate version",
            description = "The candidate with its rollout, status and score: per key, the attempts recorded since it"
                    + " was created against the current and the candidate's effective timeouts; per cohort (canary,"
                    + " control), connection attempts, violation and failure rates. Summed over every replica.")
    @APIResponse(responseCode = "200", description = "The candidate; ETag is its version.",
            content = @Content(schema = @Schema(implementation = CandidateAnswer.class)))
    @APIResponse(responseCode = "404", description = "Unknown environment, or no candidate.")
    public Uni<Response> get(@Parameter(description = "Environment name, case-insensitive.", example = "staging")
            @PathParam("environment") String environment) {
        return candidates.get(environment).chain(candidate -> scores.read(candidate).map(score -> Response
                .ok(new CandidateAnswer(candidate.policy(), candidate.status(), candidate.rollout(), score))
                .header(HttpHeaders.ETAG, ETags.of(candidate.version()))
                .build()));
    }

    @DELETE
    @RolesAllowed(Roles.OPERATOR)
    @SecurityRequirement(name = ApiDocumentation.BEARER, scopes = Roles.OPERATOR)
    @SecurityRequirement(name = ApiDocumentation.API_KEY, scopes = Roles.OPERATOR)
    @Operation(operationId = "deleteCandidate", summary = "Abort the candidate version",
            description = "Its status becomes aborted; every instance is served the current version again.")
    @APIResponse(responseCode = "204", description = "Aborted.")
    @APIResponse(responseCode = "401", description = "No API key, or an unknown one.")
    @APIResponse(responseCode = "403", description = "The key lacks the operator role.")
    @APIResponse(responseCode = "404", description = "Unknown environment, or no candidate.")
    @APIResponse(responseCode = "412", description = "If-Match does not name the candidate.")
    @APIResponse(responseCode = "428", description = "No If-Match.")
    public Uni<Response> delete(@Parameter(description = "Environment name, case-insensitive.", example = "staging")
            @PathParam("environment") String environment,
            @Parameter(description = "The candidate's version.", example = "\"2\"")
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        return candidates.abort(environment, ifMatch, Callers.nameOf(identity))
                .map(version -> Response.noContent().build());
    }

    @POST
    @Path("promote")
    @RolesAllowed(Roles.OPERATOR)
    @SecurityRequirement(name = ApiDocumentation.BEARER, scopes = Roles.OPERATOR)
    @SecurityRequirement(name = ApiDocumentation.API_KEY, scopes = Roles.OPERATOR)
    @Operation(operationId = "promoteCandidate", summary = "Promote the candidate version",
            description = "The candidate becomes the current version for every instance; the old one is superseded.")
    @APIResponse(responseCode = "200", description = "The new current policy; ETag is its version.",
            content = @Content(schema = @Schema(implementation = EnvironmentPolicy.class)))
    @APIResponse(responseCode = "401", description = "No API key, or an unknown one.")
    @APIResponse(responseCode = "403", description = "The key lacks the operator role.")
    @APIResponse(responseCode = "404", description = "Unknown environment, or no candidate (promoted, aborted or"
            + " rolled back meanwhile).")
    @APIResponse(responseCode = "412", description = "If-Match does not name the candidate.")
    @APIResponse(responseCode = "428", description = "No If-Match.")
    public Uni<Response> promote(@Parameter(description = "Environment name, case-insensitive.", example = "staging")
            @PathParam("environment") String environment,
            @Parameter(description = "The candidate's version.", example = "\"2\"")
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        return candidates.promote(environment, ifMatch, Callers.nameOf(identity)).map(policy -> Response.ok(policy)
                .header(HttpHeaders.ETAG, ETags.of(policy.version())).build());
    }
}
