package io.timeoutpolicy.platform.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An RFC 9457 problem detail: the body of every error this service answers. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "RFC 9457 problem details (application/problem+json).",
        example = "{\"type\": \"urn:timeout-policy:problem:validation\", \"title\": \"Invalid request\", \"status\": 400,"
                + " \"detail\": \"The policy has 1 invalid field\", \"instance\": \"/api/v1/environments/qa/policy\","
                + " \"errors\": [{\"field\": \"base_timeouts.connection_timeout\", \"message\": \"must be a finite number"
                + " greater than 0 and at most 86400\"}]}")
public record Problem(
        @Schema(description = "A URI naming the kind of problem.") String type,
        @Schema(description = "A short summary of the kind of problem.") String title,
        @Schema(description = "The HTTP status.") int status,
        @Schema(description = "What went wrong with this request.") String detail,
        @Schema(description = "The path of the request.") String instance,
        @Schema(description = "The invalid fields, for validation problems.") List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
}
