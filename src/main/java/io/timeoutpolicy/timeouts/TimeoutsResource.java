package io.timeoutpolicy.timeouts;

import io.smallrye.common.annotation.NonBlocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
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

    private final TimeoutService service;

    TimeoutsResource(TimeoutService service) {
        this.service = service;
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
            @QueryParam("operation") String operation) {
        return service.renderedTimeouts(environment, pressure, operation);
    }

    @GET
    @Path("startup-config")
    @Operation(operationId = "getStartupConfig",
            summary = "Start-up configuration", description = "Timeouts, retry and pool advice in one answer,"
            + " for a backend's start-up code.")
    @APIResponse(responseCode = "200", description = "The configuration.")
    @APIResponse(responseCode = "400", description = "Malformed environment or unknown pressure indicator.")
    @APIResponse(responseCode = "404", description = "Unknown environment.")
    @NonBlocking // answered from memory
    public StartupConfigAnswer startupConfig(
            @Parameter(description = "Environment name, case-insensitive.", example = "production")
            @PathParam("environment") String environment,
            @Parameter(description = "Pressure indicators, comma-separated or repeated.",
                    example = "[\"cloud_sql_capacity_pressure\"]") @QueryParam("pressure") List<String> pressure) {
        return service.startupConfig(environment, pressure);
    }
}
