package io.timeoutpolicy.platform.http;

import io.quarkus.runtime.configuration.MemorySize;
import io.timeoutpolicy.platform.problem.Problem;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Locale;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a body over {@code quarkus.http.limits.max-body-size} as a problem detail. A sized body is refused
 * before anything reads it. A chunked one has no size to check, so it is read here up to the limit and
 * refused as soon as it passes it; Quarkus would answer both with an empty 413.
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
        router.route().order(Integer.MIN_VALUE).handler(this::check);
        router.route().order(Integer.MIN_VALUE).failureHandler(this::chunkedTooLarge);
    }

    private void check(RoutingContext context) {
        String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            if (isChunked(context)) {
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
        refuse(context, "The chunked body is longer than the limit of " + limit + " bytes");
    }

    private void refuse(RoutingContext context, String detail) {
        problems.refuse(context, new Problem(TYPE, "Payload too large", 413, detail, context.request().path(), null));
    }

    private static boolean isChunked(RoutingContext context) {
        String encoding = context.request().getHeader(HttpHeaders.TRANSFER_ENCODING);
        return encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked");
    }

    private boolean isOver(String length) {
        try {
            return Long.parseLong(length.trim()) > limit;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
