package io.timeoutpolicy.platform.http;

import io.quarkus.runtime.configuration.MemorySize;
import io.timeoutpolicy.platform.problem.Problem;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a body over {@code quarkus.http.limits.max-body-size} as a problem detail, before anything
 * reads it. Quarkus would answer the same 413 with an empty body; ours runs first.
 */
@ApplicationScoped
public class BodySizeLimit {

    private final long limit;
    private final ProblemWriter problems;

    BodySizeLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize limit,
            ProblemWriter problems) {
        this.limit = limit.asLongValue();
        this.problems = problems;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::check);
    }

    private void check(RoutingContext context) {
        String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null || !isOver(length)) {
            context.next();
            return;
        }
        problems.refuse(context, new Problem("urn:timeout-policy:problem:body-too-large", "Payload too large", 413,
                "The body has " + length + " bytes; the limit is " + limit, context.request().path(), null));
    }

    private boolean isOver(String length) {
        try {
            return Long.parseLong(length.trim()) > limit;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
