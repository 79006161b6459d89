package io.timeoutpolicy.analysis;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/environments/{environment}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "History", description = "Connection attempts reported by the fleet (docs/design.md §2, 4.1-4.4)")
public class AnalysisResource {

    private final AnalysisService service;

    AnalysisResource(AnalysisService service) {
        this.service = service;
    }

    @GET
    @Path("metrics")
    @Operation(operationId = "getMetrics",
            summary = "Metrics", description = "Counts, rates, averages and percentiles of one operation's"
            + " attempts in a window (docs/design.md §4.1); {environment, status: no_data} without attempts.")
    @APIResponse(responseCode = "200", description = "The metrics.")
    @APIResponse(responseCode = "400", description = "Unknown operation or malformed window.")
    @APIResponse(responseCode = "404", description = "Unknown environment.")
    @APIResponse(responseCode = "409", description = "Attempts of the service asked for may be among those of the"
            + " names beyond timeout-policy.history.services-per-environment in the window, which count for the"
            + " environment only (problem service-not-tracked): the figures would miss them.")
    public Uni<Metrics> metrics(
            @Parameter(description = "Environment name, case-insensitive.", example = "staging")
            @PathParam("environment") String environment,
            @Parameter(description = "Operation; default connection.", example = "connection")
            @QueryParam("operation") String operation,
            @Parameter(description = "Only this service's attempts.", example = "orders-api")
            @QueryParam("service") String serviceName,
            @Parameter(description = "ISO-8601 window; default the policy's history window.", example = "PT1H")
            @QueryParam("window") String window) {
        return Uni.createFrom().item(() -> service.metrics(environment, operation, serviceName, window));
    }

    @GET
    @Path("analysis")
    @Operation(operationId = "getAnalysis",
            summary = "Failure analysis", description = "Trend, failure type, severity and bypass"
            + " recommendation from the connection attempts in the policy's window (docs/design.md §4.4).")
    @APIResponse(responseCode = "200", description = "The analysis.")
    @APIResponse(responseCode = "404", description = "Unknown environment.")
    public Uni<FailureAnalysis> analysis(@Parameter(description = "Environment name, case-insensitive.",
            example = "staging") @PathParam("environment") String environment) {
        return Uni.createFrom().item(() -> service.analysis(environment));
    }

    @GET
    @Path("assessment")
    @Operation(operationId = "getAssessment",
            summary = "Assessment", description = "A Cloud SQL environment's connection times against its"
            + " baselines, with issues and recommendations (docs/design.md §4.7); not_applicable for other environments.")
    @APIResponse(responseCode = "200", description = "The assessment.")
    @APIResponse(responseCode = "404", description = "Unknown environment.")
    public Uni<Assessment> assessment(@Parameter(description = "Environment name, case-insensitive.",
            example = "staging") @PathParam("environment") String environment) {
        return Uni.createFrom().item(() -> service.assessment(environment));
    }

    @GET
    @Path("trend")
    @Operation(operationId = "getTrend",
            summary = "Trend", description = "The window cut into buckets (attempts, success rate, average,"
            + " p99, violation rate) and its direction: improving, stable or degrading.")
    @APIResponse(responseCode = "200", description = "The trend.")
    @APIResponse(responseCode = "400", description = "Bad window or bucket.")
    @APIResponse(responseCode = "404", description = "Unknown environment.")
    public Uni<Trend> trend(
            @Parameter(description = "Environment name, case-insensitive.", example = "staging")
            @PathParam("environment") String environment,
            @Parameter(description = "Operation; default connection.", example = "connection")
            @QueryParam("operation") String operation,
            @Parameter(description = "ISO-8601 window; default the policy's.", example = "PT24H")
            @QueryParam("window") String window,
            @Parameter(description = "ISO-8601 bucket width; default PT1H.", example = "PT1H")
            @QueryParam("bucket") String bucket) {
        return Uni.createFrom().item(() -> service.trend(environment, operation, window, bucket));
    }

    @POST
    @Path("simulate")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "simulateTimeouts",
            summary = "Simulate timeouts", description = "What candidate timeouts would have done to the"
            + " recorded attempts: how many would have timed out, how many successes they would have cut off,"
            + " and the total time clients would have waited.")
    @APIResponse(responseCode = "200", description = "The results by key.")
    @APIResponse(responseCode = "400", description = "Unknown key, bad seconds or window.")
    public Uni<Simulation.Answer> simulate(@Parameter(description = "Environment name, case-insensitive.",
            example = "staging") @PathParam("environment") String environment, Simulation.Request request) {
        return Uni.createFrom().item(() -> service.simulate(environment, request));
    }
}
