package io.timeoutpolicy.recording;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import io.timeoutpolicy.platform.http.ApiDocumentation;
import io.timeoutpolicy.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/attempts")
@Tag(name = "History", description = "Connection attempts reported by the fleet (docs/design.md §2, 4.1-4.4)")
public class AttemptsResource {

    private final RecordingService recording;

    AttemptsResource(RecordingService recording) {
        this.recording = recording;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.REPORTER)
    @SecurityRequirement(name = ApiDocumentation.BEARER, scopes = Roles.REPORTER)
    @SecurityRequirement(name = ApiDocumentation.API_KEY, scopes = Roles.REPORTER)
    @Operation(operationId = "recordAttempts",
            summary = "Record attempts", description = "An array of 1 to 1000 attempts; a single attempt object"
            + " is accepted too, but the document describes only the array, which every client generator handles."
            + " The whole request is checked before anything is written; an id already recorded is counted as a"
            + " duplicate. Every later read on this instance reflects the attempts at once, also when they are held"
            + " for the database (202).")
    @RequestBody(required = true, content = @Content(schema = @Schema(type = SchemaType.ARRAY,
            implementation = AttemptRequest.class, minItems = 1, maxItems = 1000)))
    @APIResponse(responseCode = "201", description = "Recorded.",
            content = @Content(schema = @Schema(implementation = AttemptsAnswer.class)))
    @APIResponse(responseCode = "202", description = "The database is unavailable: accepted into the write-behind"
            + " buffer, written when it is back; counted, in memory and evaluated for alerts at once.",
            content = @Content(schema = @Schema(implementation = AttemptsAnswer.class)))
    @APIResponse(responseCode = "400", description = "Invalid attempts; errors names each field as [index].field.")
    @APIResponse(responseCode = "422", description = "An environment without a policy.")
    public Uni<Response> record(JsonNode body) {
        return recording.record(body).map(recorded -> Response
                .status(recorded.held() ? Response.Status.ACCEPTED : Response.Status.CREATED)
                .entity(recorded.answer())
                .build());
    }
}
