package io.timeoutpolicy.platform.problem;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.smallrye.mutiny.CompositeException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import io.timeoutpolicy.platform.database.ContentRefused;
import io.timeoutpolicy.platform.database.DatabaseFailures;
import io.vertx.pgclient.PgException;
import java.net.ConnectException;
import java.time.Duration;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where failures become answers: RFC 9457 problem details, never a stack trace. Bad
 * input is a 4xx with the field that was wrong; a struggling database is a 503 with Retry-After; only
 * a bug is a 500, and it is logged here.
 */
public class ProblemMapper {

    private static final Duration DATABASE_RETRY_AFTER = Duration.ofSeconds(5);

    @ServerExceptionMapper
    public Response problem(ProblemException e, HttpServerRequest request) {
        Response.ResponseBuilder response = respond(e.status(), e.toProblem(request.path()));
        if (e.retryAfter() != null) {
            response.header("Retry-After", Math.max(1, e.retryAfter().toSeconds()));
        }
        return response.build();
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, HttpServerRequest request) {
        if (e instanceof JsonMappingException mapping && (e instanceof MismatchedInputException
                || !mapping.getPath().isEmpty())) {
            FieldError error = JsonErrors.fieldError(mapping, "");
            return problem(ProblemException.invalidField(error.field(), error.message()), request);
        }
        return problem(ProblemException.badRequest("The body is not valid JSON" + where(e.getLocation())), request);
    }

    /** Quarkus REST has a built-in mapper for exactly this type (an empty 400); ours takes precedence. */
    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e, HttpServerRequest request) {
        return json(e, request);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, HttpServerRequest request) {
        if (e.getCause() instanceof JsonProcessingException json) {
            // The JSON reader wraps what the parser said; answer with that.
            return json(json, request);
        }
        int status = e.getResponse().getStatus();
        Response.StatusType type = Response.Status.fromStatusCode(status);
        String title = type != null ? type.getReasonPhrase() : "HTTP " + status;
        String detail = switch (status) {
            case 404 -> "No resource at " + request.path();
            case 405 -> request.method() + " is not allowed on " + request.path();
            case 415 -> "Send the body as application/json";
            case 406 -> "This resource answers application/json";
            default -> title;
        };
        return respond(status, new Problem("about:blank", title, status, detail, request.path(), null)).build();
    }

    /** No key, or a key that is not configured: 401 with the challenge (SPEC 6). */
    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthorized(RuntimeException e, HttpServerRequest request) {
        return respond(401, new Problem("urn:timeout-policy:problem:unauthorized", "Unauthorized", 401,
                "Send a valid API key as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'", request.path(), null))
                .header("WWW-Authenticate", "Bearer realm=\"timeout-policy\"")
                .build();
    }

    /** A valid key without the role the endpoint needs. */
    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, HttpServerRequest request) {
        return respond(403, new Problem("urn:timeout-policy:problem:forbidden", "Forbidden", 403,
                "This API key lacks the role this endpoint needs", request.path(), null)).build();
    }

    @ServerExceptionMapper
    public Response unavailable(FaultToleranceException e, HttpServerRequest request) {
        return databaseUnavailable(e, request);
    }

    @ServerExceptionMapper
    public Response unreachable(ConnectException e, HttpServerRequest request) {
        return databaseUnavailable(e, request);
    }

    /**
     * PostgreSQL refused what the request carried (SPEC 7): the input checks should have caught it, so it is a
     * 400 naming the SQLSTATE, never a 500 and never an outage.
     */
    @ServerExceptionMapper
    public Response contentRefused(ContentRefused e, HttpServerRequest request) {
        Log.errorf("The database refused the content of %s %s: %s", request.method(), request.path(), e.getMessage());
        return problem(ProblemException.badRequest("The database refused the request's content (SQLSTATE "
                + e.sqlState() + "); nothing was written"), request);
    }

    /** Any other refusal by PostgreSQL (e.g. the schema not migrated yet) means it cannot serve this now. */
    @ServerExceptionMapper
    public Response database(PgException e, HttpServerRequest request) {
        ContentRefused refused = DatabaseFailures.contentRefused(e);
        if (DatabaseFailures.isContentError(e)) {
            return contentRefused(refused != null ? refused : DatabaseFailures.asContentRefused(e), request);
        }
        return databaseUnavailable(e, request);
    }

    /**
     * Failures that arrive together (a recovery that failed too, e.g. an open circuit and then a full
     * write-behind buffer) are answered by their most telling cause: a problem of ours first, then an
     * unavailable database; only when neither is among them is it a bug.
     */
    @ServerExceptionMapper
    public Response composite(CompositeException e, HttpServerRequest request) {
        for (Throwable cause : e.getCauses()) {
            if (cause instanceof ProblemException problem) {
                return problem(problem, request);
            }
        }
        ContentRefused refused = DatabaseFailures.contentRefused(e);
        if (refused != null) {
            return contentRefused(refused, request);
        }
        for (Throwable cause : e.getCauses()) {
            if (cause instanceof FaultToleranceException || cause instanceof ConnectException
                    || cause instanceof PgException) {
                return databaseUnavailable(cause, request);
            }
        }
        return unexpected(e, request);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, HttpServerRequest request) {
        Log.errorf(e, "Unexpected failure answering %s %s", request.method(), request.path());
        return respond(500, new Problem("about:blank", "Internal error", 500,
                "The service failed unexpectedly; the failure is logged", request.path(), null)).build();
    }

    private Response databaseUnavailable(Throwable e, HttpServerRequest request) {
        Log.warnf("Database unavailable while answering %s %s: %s", request.method(), request.path(), e.toString());
        return problem(ProblemException.unavailable("The policy database is unavailable; try again shortly",
                DATABASE_RETRY_AFTER), request);
    }

    private static Response.ResponseBuilder respond(int status, Problem problem) {
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(problem);
    }

    private static String where(JsonLocation location) {
        if (location == null || location.getLineNr() < 0) {
            return "";
        }
        return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
