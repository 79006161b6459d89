package io.timeoutpolicy.platform.http;

import io.quarkus.runtime.configuration.MemorySize;
import io.timeoutpolicy.platform.problem.Problem;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a body over {@code quarkus.http.limits.max-body-size} as a problem detail. A sized body is refused
 * before anything reads it. One without a length (chunked, or HTTP/2 without content-length) has no size to
 * check, so it is read here up to the limit and refused as soon as it passes it; Quarkus would answer the
 * first with an empty 413 and fail the second while the resource reads it.
 */
@ApplicationScoped
public class BodySizeLimit {

    private static final String TYPE = "urn:timeout-policy:problem:body-too-large";

    private final long limit;
    private final ProblemWriter problems;
    private final BodyHandler chunkedReader;

    BodySizeLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize limit,
            ProblemWriter problems) {
        this.limit = limit.asLongValue();
        this.problems = problems;
        this.chunkedReader = BodyHandler.create(false).setBodyLimit(this.limit);
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 1).handler(this::check);
        router.route().order(Integer.MIN_VALUE + 1).failureHandler(this::chunkedTooLarge);
        router.route().order(Integer.MIN_VALUE + 3).handler(this::emptyChunked);
    }

    /**
     * A chunked body that turned out empty ({@code 0\r\n\r\n}) is a 400 at once: read here, it would leave the
     * resource waiting for a body that has already ended, unanswered, and a graceful shutdown waiting for it.
     */
    private void emptyChunked(RoutingContext context) {
        boolean read = isChunked(context) && mayCarryBody(context);
        if (!read || (context.body().buffer() != null && context.body().length() > 0)) {
            context.next();
            return;
        }
        problems.refuse(context, new Problem("urn:timeout-policy:problem:bad-request", "Bad request", 400,
                "The request has no body (an empty chunked body); send a JSON document", context.request().path(),
                null));
    }

    private static boolean isChunked(RoutingContext context) {
        return context.request().version() != HttpVersion.HTTP_2
                && context.request().headers().contains(HttpHeaders.TRANSFER_ENCODING);
    }

    private void check(RoutingContext context) {
        String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            if (isChunked(context) && mayCarryBody(context)) {
                chunkedReader.handle(context);
            } else {
                context.next();
            }
            return;
        }
        if (!isOver(length)) {
            context.next();
            return;
        }
        refuse(context, "The body has " + length + " bytes; the limit is " + limit);
    }

    /** The body handler fails the request with 413 once a chunked body passes the limit. */
    private void chunkedTooLarge(RoutingContext context) {
        if (context.statusCode() != 413 || context.response().headWritten()) {
            context.next();
            return;
        }
        refuse(context, "The body is longer than the limit of " + limit + " bytes");
    }

    private void refuse(RoutingContext context, String detail) {
        problems.refuse(context, new Problem(TYPE, "Payload too large", 413, detail, context.request().path(), null));
    }

    /**
     * A body without a length: chunked in HTTP/1.1, or any HTTP/2 body whose client sent no content-length.
     * An HTTP/1.1 request with neither has no body, and reading it ends at once.
     */
    private static boolean mayCarryBody(RoutingContext context) {
        HttpMethod method = context.request().method();
        return HttpMethod.POST.equals(method) || HttpMethod.PUT.equals(method) || HttpMethod.PATCH.equals(method);
    }

    private boolean isOver(String length) {
        try {
            return Long.parseLong(length.trim()) > limit;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
