package io.timeoutpolicy.policy;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.timeoutpolicy.platform.http.ApiDocumentation;
import io.timeoutpolicy.platform.http.ETags;
import io.timeoutpolicy.security.Callers;
import io.timeoutpolicy.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/environments")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Policies", description = "Versioned per-environment policies (docs/design.md §3)")
public class PolicyResource {

    private final PolicyStore store;
    private final PolicyService service;
    private final SecurityIdentity identity;

    PolicyResource(PolicyStore store, PolicyService service, SecurityIdentity identity) {
        this.store = store;
        this.service = service;
        this.identity = identity;
    }

    @Schema(description = "The environments the service has a policy for.",
            example = "{\"items\": [{\"environment\": \"development\", \"cloud_sql\": false, \"policy_version\": 1}]}")
    public record EnvironmentList(List<EnvironmentSummary> items) {
    }

    @Schema(description = "One environment.",
            example = "{\"environment\": \"staging\", \"cloud_sql\": true, \"policy_version\": 1}")
    public record EnvironmentSummary(String environment, boolean cloudSql, int policyVersion) {
    }

    @Schema(description = "Every version of a policy with its status, newest first.",
            example = "{\"items\": [" + PolicyExamples.VERSION + "]}")
    public record PolicyVersions(List<StoredVersion> items) {
    }

    @GET
    @Operation(operationId = "listEnvironments",
            summary = "List environments",
            description = "Every environment with a policy, its Cloud SQL flag and current policy version.")
    @APIResponse(responseCode = "200", description = "The environments, sorted by name.")
    public Uni<EnvironmentList> list() {
        return Uni.createFrom().item(() -> new EnvironmentList(store.all().stream()
                .map(p -> new EnvironmentSummary(p.environment(), p.cloudSql(), p.version()))
                .toList()));
    }

    @GET
    @Path("{environment}/policy")
    @Operation(operationId = "getPolicy",
            summary = "Read a policy", description = "The complete policy document; the ETag header carries"
            + " its version for a later If-Match.")
    @APIResponse(responseCode = "200", description = "The policy.",
            headers = @Header(name = "ETag", description = "The version in quotes.", schema = @Schema(type = SchemaType.STRING, example = "\"1\"")),
            content = @Content(schema = @Schema(implementation = EnvironmentPolicy.class)))
    @APIResponse(responseCode = "404", description = "Unknown environment; the detail lists the known ones.")
    public Uni<Response> get(@Parameter(description = "Environment name, case-insensitive.", example = "staging")
            @PathParam("environment") String environment) {
        return service.current(environment).map(policy -> Response.ok(policy)
                .header(HttpHeaders.ETAG, ETags.of(policy.version()))
                .build());
    }

    @PUT
    @Path("{environment}/policy")
    @RolesAllowed(Roles.OPERATOR)
    @SecurityRequirement(name = ApiDocumentation.BEARER, scopes = Roles.OPERATOR)
    @SecurityRequirement(name = ApiDocumentation.API_KEY, scopes = Roles.OPERATOR)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "putPolicy",
            summary = "Create or replace a policy", description = "Creates a new environment (201; needs"
            + " cloud_sql and base_timeouts, other groups default) or replaces the policy of an existing one (200;"
            + " needs the complete document and If-Match with the current version). Every change is a new version.")
    @APIResponse(responseCode = "201", description = "Created; the new policy.",
            content = @Content(schema = @Schema(implementation = EnvironmentPolicy.class)))
    @APIResponse(responseCode = "200", description = "Replaced; the new version.",
            content = @Content(schema = @Schema(implementation = EnvironmentPolicy.class)))
    @APIResponse(responseCode = "400", description = "Invalid document; errors lists each field.")
    @APIResponse(responseCode = "401", description = "No API key, or an unknown one.")
    @APIResponse(responseCode = "403", description = "The key lacks the operator role.")
    @APIResponse(responseCode = "409", description = "The environment has a candidate version: promote or delete it"
            + " first.")
    @APIResponse(responseCode = "412", description = "If-Match does not name the current version.")
    @APIResponse(responseCode = "428", description = "Replacing without If-Match.")
    public Uni<Response> put(
            @Parameter(description = "Environment name, case-insensitive.", example = "qa")
            @PathParam("environment") String environment,
            @Parameter(description = "The current version, as the ETag of a GET gave it; required to replace.",
                    example = "\"1\"") @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            PolicyRequest body) {
        return service.put(environment, ifMatch, body, Callers.nameOf(identity)).map(written -> {
            EnvironmentPolicy policy = written.policy();
            Response.ResponseBuilder response = written.created()
                    ? Response.status(Response.Status.CREATED)
                            .header(HttpHeaders.LOCATION, "/api/v1/environments/" + policy.environment() + "/policy")
                    : Response.ok();
            return response.entity(policy).header(HttpHeaders.ETAG, ETags.of(policy.version())).build();
        });
    }

    @GET
    @Path("{environment}/policy/versions")
    @Operation(operationId = "listPolicyVersions",
            summary = "Policy history", description = "Every version of the environment's policy, newest first,"
            + " each with its status: current, superseded, candidate, aborted or rolled_back (docs/policy-changes.md).")
    @APIResponse(responseCode = "200", description = "The versions.")
    @APIResponse(responseCode = "404", description = "Unknown environment.")
    public Uni<PolicyVersions> versions(@Parameter(description = "Environment name, case-insensitive.",
            example = "staging") @PathParam("environment") String environment) {
        return service.versions(environment).map(PolicyVersions::new);
    }
}
