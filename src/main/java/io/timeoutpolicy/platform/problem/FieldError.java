package io.timeoutpolicy.platform.problem;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One reason a request was rejected, named by the JSON path of the field (snake_case, dotted). */
@Schema(description = "One invalid field of a rejected request.",
        example = "{\"field\": \"base_timeouts.connection_timeout\", \"message\": \"must be greater than 0\"}")
public record FieldError(String field, String message) {
}
