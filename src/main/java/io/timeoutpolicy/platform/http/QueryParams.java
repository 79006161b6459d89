package io.timeoutpolicy.platform.http;

import io.timeoutpolicy.platform.problem.ProblemException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Query parameters shared by several endpoints, parsed one way, with a 400 naming the parameter. */
public final class QueryParams {

    private QueryParams() {
    }

    /** An ISO-8601 instant such as {@code 2026-11-22T10:15:30Z} (any offset), or null when absent. */
    public static Instant instant(String value, String name) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw ProblemException.invalidField(name, "must be an ISO-8601 instant such as 2026-11-22T10:15:30Z");
        }
    }
}
