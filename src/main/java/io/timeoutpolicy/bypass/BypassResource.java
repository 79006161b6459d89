package io.timeoutpolicy.bypass;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.timeoutpolicy.platform.http.ApiDocumentation;
import io.timeoutpolicy.platform.problem.ProblemException;
import io.timeoutpolicy.security.Callers;
import io.timeoutpolicy.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/bypass-decisions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Bypass decisions", description = "May a deployment proceed despite failed start-up validation? (docs/design.md §4.5)")
public class BypassResource {

    private final BypassService service;
    private final SecurityIdentity identity;

    BypassResource(BypassService service, SecurityIdentity identity) {
        this.service = service;
        this.identity = identity;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.DEPLOYER)
    @SecurityRequirement(name = ApiDocumentation.BEARER, scopes = Roles.DEPLOYER)
    @SecurityRequirement(name = ApiDocumentation.API_KEY, scopes = Roles.DEPLOYER)
    @Operation(operationId = "decideBypass",
            summary = "Decide a bypass", description = "Applies the rules of docs/design.md §4.5 in order; the first"
            + " that decides is named in rule. The decision is stored before it is answered.")
    @APIResponse(responseCode = "201", description = "The stored decision; Location names it.",
            content = @Content(schema = @Schema(implementation = BypassDecision.class)))
    @APIResponse(responseCode = "400", description = "Invalid request.")
    @APIResponse(responseCode = "422", description = "An environment without a policy.")
    public Uni<Response> decide(BypassRequest request) {
        return service.decide(request, Callers.nameOf(identity)).map(decision -> Response
                .status(Response.Status.CREATED)
                .header(HttpHeaders.LOCATION, "/api/v1/bypass-decisions/" + decision.id())
                .entity(decision)
                .build());
    }

    @GET
    @Operation(operationId = "listBypassDecisions",
            summary = "Audit log", description = "Decisions, newest first, filtered; pass next_cursor as cursor"
            + " for the next page (pages stay correct while new decisions arrive).")
    @APIResponse(responseCode = "200", description = "One page.")
    @APIResponse(responseCode = "400", description = "Malformed filter, limit or cursor.")
    public Uni<DecisionPage> list(
            @Parameter(description = "Environment.", example = "staging") @QueryParam("environment") String environment,
            @Parameter(description = "Service.", example = "orders-api") @QueryParam("service") String service,
            @Parameter(description = "Deployment.", example = "orders-api-2026-11-22.3")
            @QueryParam("deployment") String deployment,
            @Parameter(description = "Only granted (true) or refused (false) decisions.", example = "true")
            @QueryParam("bypass") String bypass,
            @Parameter(description = "Decided at or after (ISO-8601).", example = "2026-11-22T00:00:00Z")
            @QueryParam("since") String since,
            @Parameter(description = "Decided before (ISO-8601).", example = "2026-11-23T00:00:00Z")
            @QueryParam("until") String until,
            @Parameter(description = "Page size, 1-500; default 50.", example = "50") @QueryParam("limit") String limit,
            @Parameter(description = "next_cursor of the previous page.") @QueryParam("cursor") String cursor) {
        return this.service.page(DecisionQuery.parse(environment, service, deployment, bypass, since, until, limit,
                cursor));
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getBypassDecision",
            summary = "One decision", description = "A stored decision by id.")
    @APIResponse(responseCode = "200", description = "The decision.",
            content = @Content(schema = @Schema(implementation = BypassDecision.class)))
    @APIResponse(responseCode = "400", description = "Not a UUID.")
    @APIResponse(responseCode = "404", description = "No such decision.")
    public Uni<BypassDecision> get(@Parameter(description = "Decision id.",
            example = "0b7e6a52-3f7e-4c55-9d0e-5c1b7e3f4a21") @PathParam("id") String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalidField("id", "must be a UUID");
        }
        return service.find(uuid);
    }
}
