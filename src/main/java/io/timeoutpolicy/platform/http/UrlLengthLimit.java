package io.timeoutpolicy.platform.http;

import io.timeoutpolicy.platform.problem.Problem;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses an over-long URL with 414 as a problem detail. Vert.x would refuse it in its decoder with an empty
 * body, so its own limit ({@code quarkus.http.limits.max-initial-line-length}) is set far above this one.
 */
@ApplicationScoped
public class UrlLengthLimit {

    private final int limit;
    private final ProblemWriter problems;

    UrlLengthLimit(@ConfigProperty(name = "timeout-policy.http.max-url-length") int limit, ProblemWriter problems) {
        this.limit = limit;
        this.problems = problems;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 1).handler(this::check);
    }

    private void check(RoutingContext context) {
        int length = context.request().uri().length();
        if (length <= limit) {
            context.next();
            return;
        }
        problems.refuse(context, new Problem("urn:timeout-policy:problem:uri-too-long", "URI too long", 414,
                "The URL has " + length + " characters; the limit is " + limit, null, null));
    }
}
