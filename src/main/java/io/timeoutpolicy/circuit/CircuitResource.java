package io.timeoutpolicy.circuit;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/environments/{environment}/circuit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Circuit and alerts", description = "What the fleet sees when a database struggles (docs/design.md §4.6, 4.7)")
public class CircuitResource {

    private final CircuitService circuits;

    CircuitResource(CircuitService circuits) {
        this.circuits = circuits;
    }

    @GET
    @Operation(operationId = "getCircuit",
            summary = "Fleet circuit", description = "open after failure_threshold consecutive failed connection"
            + " attempts, for reset_timeout seconds after the last (retry_after_seconds), then half_open; else"
            + " closed. Clients fail fast instead of waiting for a long timeout against a database the whole"
            + " fleet sees as down.")
    @APIResponse(responseCode = "200", description = "The circuit.")
    @APIResponse(responseCode = "404", description = "Unknown environment.")
    public Uni<CircuitState> circuit(@Parameter(description = "Environment name, case-insensitive.",
            example = "staging") @PathParam("environment") String environment) {
        return Uni.createFrom().item(() -> circuits.state(environment));
    }
}
