package io.timeoutpolicy.timeouts;

import io.smallrye.common.annotation.NonBlocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import io.timeoutpolicy.platform.http.ETags;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/environments/{environment}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Timeouts", description = "Effective timeouts for backends (docs/design.md §4.2)")
public class TimeoutsResource {

    /** Names the asking instance when the query does not (SPEC 10.2). */
    public static final String INSTANCE_HEADER = "X-Timeout-Policy-Instance";

    private final TimeoutService service;
    private final Watches watches;

    TimeoutsResource(TimeoutService service, Watches watches) {
        this.service = service;
        this.watches = watches;
    }

    @GET
    @Path("timeouts")
    @Operation(operationId = "getTimeouts",
            summary = "Effective timeouts", description = "The five timeouts of the environment, adapted to its"
            + " history and to the pressure indicators given, each with an explanation. Answered from memory: it"
            + " never waits on the database, and says degraded while that is unavailable.")
    @APIResponse(responseCode = "200", description = "The timeouts.", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TimeoutsAnswer.class)))
    @APIResponse(responseCode = "400", description = "Malformed environment, unknown pressure indicator or operation.")
    @APIResponse(responseCode = "404", description = "Unknown environment; the detail lists the known ones.")
    @NonBlocking // answered from memory, pre-rendered (TimeoutService.renderedTimeouts)
    public byte[] timeouts(
            @Parameter(description = "Environment name, case-insensitive.", example = "staging")
            @PathParam("environment") String environment,
            @Parameter(description = "Pressure indicators, comma-separated or repeated.",
                    example = "[\"vpc_connector_scaling\"]") @QueryParam("pressure") List<String> pressure,
            @Parameter(description = "Restrict the answer to one operation.", example = "connection")
            @QueryParam("operation") String operation,
            @Parameter(description = "The asking instance (host name and process id by default in the clients): a"
                    + " canary serves its candidate to the instances of its cohort.", example = "orders-api-7d9f-1234")
            @QueryParam("instance") String instance,
            @Parameter(description = "The asking instance, when not in the query.", example = "orders-api-7d9f-1234")
            @HeaderParam(INSTANCE_HEADER) String instanceHeader) {
        return service.renderedTimeouts(environment, pressure, operation, Instances.of(instance, instanceHeader));
    }

    @GET
    @Path("startup-config")
    @Operation(operationId = "getStartupConfig",
            summary = "Start-up configuration", description = "Timeouts, retry and pool advice in one answer,"
            + " for a backend's start-up code.")
    @APIResponse(responseCode = "200", description = "The configuration.", headers = @Header(name = "ETag",
            description = "W/\"<policy_version>\": the version it was computed from (weak: adaptive values move"
                    + " between versions).", schema = @Schema(type = SchemaType.STRING, example = "W/\"1\"")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = StartupConfigAnswer.class)))
    @APIResponse(responseCode = "400", description = "Malformed environment or unknown pressure indicator.")
    @APIResponse(responseCode = "404", description = "Unknown environment.")
    @APIResponse(responseCode = "304", description = "If-None-Match names the version this instance would be served,"
            + " and it did not change within Prefer: wait.")
    @APIResponse(responseCode = "503", description = "This replica holds its maximum of watches; Retry-After says"
            + " when to ask again.")
    public CompletionStage<RestResponse<byte[]>> startupConfig(
            @Parameter(description = "Environment name, case-insensitive.", example = "production")
            @PathParam("environment") String environment,
            @Parameter(description = "Pressure indicators, comma-separated or repeated.",
                    example = "[\"cloud_sql_capacity_pressure\"]") @QueryParam("pressure") List<String> pressure,
            @Parameter(description = "The asking instance: a canary serves its candidate to the instances of its"
                    + " cohort.", example = "orders-api-7d9f-1234") @QueryParam("instance") String instance,
            @Parameter(description = "The asking instance, when not in the query.", example = "orders-api-7d9f-1234")
            @HeaderParam(INSTANCE_HEADER) String instanceHeader,
            @Parameter(description = "The ETag of the answer the client has, e.g. W/\"3\": 304 while it is still the"
                    + " version this instance would be served.", example = "W/\"1\"")
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch,
            @Parameter(description = "wait=<seconds> (RFC 7240, at most 300) with If-None-Match: hold the request"
                    + " until the version changes (200) or the wait ends (304).", example = "wait=60")
            @HeaderParam("Prefer") String prefer) {
        String asking = Instances.of(instance, instanceHeader);
        TimeoutService.RenderedStartupConfig answer = service.renderedStartupConfig(environment, pressure, asking);
        Integer known = WatchHeaders.version(ifNoneMatch);
        if (known == null || known != answer.policyVersion()) {
            return CompletableFuture.completedFuture(ok(answer));
        }
        Duration wait = WatchHeaders.waitOf(prefer);
        if (wait.isZero()) {
            return CompletableFuture.completedFuture(Watches.notModified(known));
        }
        // Held as a plain future, not a Uni: ten thousand of them on one replica (Watches).
        return watches.until(answer.environment(), asking, pressure, known, wait);
    }

    /**
     * Pre-rendered JSON (TimeoutService.renderedStartupConfig), as GET …/timeouts answers. Typed {@code byte[]}, not a
     * plain Response: RESTEasy then picks its writer at build time instead of searching for one per answer, which
     * was a sixth of the event loops' work when 10 000 held watches are answered at once (BENCHMARKS.md).
     */
    private static RestResponse<byte[]> ok(TimeoutService.RenderedStartupConfig answer) {
        return RestResponse.ResponseBuilder.ok(answer.body()).header(HttpHeaders.ETAG, weakTag(answer.policyVersion()))
                .build();
    }

    static String weakTag(int version) {
        return "W/" + ETags.of(version);
    }
}
