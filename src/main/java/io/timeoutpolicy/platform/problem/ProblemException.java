package io.timeoutpolicy.platform.problem;

import java.time.Duration;
import java.util.List;

/**
 * A request that cannot be answered as asked, with the problem to answer instead. Thrown anywhere;
 * turned into problem+json in one place, {@link ProblemMapper}.
 */
public final class ProblemException extends RuntimeException {

    private static final String TYPE_PREFIX = "urn:timeout-policy:problem:";

    private final int status;
    private final String type;
    private final String title;
    private final List<FieldError> errors;
    private final Duration retryAfter;

    private ProblemException(int status, String kind, String title, String detail, List<FieldError> errors,
            Duration retryAfter) {
        // No stack trace: these are answers, not bugs, and some are on hot paths.
        super(detail, null, false, false);
        this.status = status;
        this.type = TYPE_PREFIX + kind;
        this.title = title;
        this.errors = errors;
        this.retryAfter = retryAfter;
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(400, "bad-request", "Bad request", detail, null, null);
    }

    public static ProblemException invalid(String detail, List<FieldError> errors) {
        return new ProblemException(400, "validation", "Invalid request", detail, List.copyOf(errors), null);
    }

    public static ProblemException invalidField(String field, String message) {
        return invalid("Invalid value of " + field + ": " + message, List.of(new FieldError(field, message)));
    }

    /** A write whose body has no (or another) media type than the endpoint reads. */
    public static ProblemException unsupportedMediaType(String detail) {
        return new ProblemException(415, "unsupported-media-type", "Unsupported media type", detail, null, null);
    }

    public static ProblemException notFound(String kind, String detail) {
        return new ProblemException(404, kind, "Not found", detail, null, null);
    }

    public static ProblemException unprocessable(String kind, String detail, List<FieldError> errors) {
        return new ProblemException(422, kind, "Unprocessable request", detail, errors, null);
    }

    public static ProblemException preconditionFailed(String detail) {
        return new ProblemException(412, "stale-version", "Precondition failed", detail, null, null);
    }

    /** The request contradicts the resource's state (SPEC 10.2: a second candidate without its version). */
    public static ProblemException conflict(String kind, String detail) {
        return new ProblemException(409, kind, "Conflict", detail, null, null);
    }

    /**
     * A per-service question about attempts that memory holds for the environment only: more distinct service
     * names than the cap per environment reported in the window.
     */
    public static ProblemException serviceNotTracked(String detail) {
        return new ProblemException(409, "service-not-tracked", "Service not tracked", detail, null, null);
    }

    public static ProblemException preconditionRequired(String detail) {
        return new ProblemException(428, "if-match-required", "Precondition required", detail, null, null);
    }

    public static ProblemException unavailable(String detail, Duration retryAfter) {
        return new ProblemException(503, "unavailable", "Service unavailable", detail, null, retryAfter);
    }

    /** A history-based answer asked for before memory holds the whole window: it would miss attempts that exist. */
    public static ProblemException historyIncomplete(String detail, Duration retryAfter) {
        return new ProblemException(503, "history-incomplete", "History not loaded yet", detail, null, retryAfter);
    }

    public Problem toProblem(String instance) {
        return new Problem(type, title, status, getMessage(), instance, errors);
    }

    public int status() {
        return status;
    }

    /** When the client should try again, for 503 answers; null otherwise. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
