package io.timeoutpolicy.platform.http;

import io.quarkus.runtime.configuration.MemorySize;
import io.timeoutpolicy.platform.problem.Problem;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses request headers over {@code timeout-policy.http.max-header-size} with 431 as a problem detail. Vert.x
 * would refuse them in its decoder with an empty body, so its own limit ({@code quarkus.http.limits.max-header-size})
 * is set above this one, as {@link UrlLengthLimit} does for the URL. Beyond Vert.x's limit the decoder still answers
 * an empty 431 (or 414): Quarkus gives no hook into the connection before a request is decoded.
 */
@ApplicationScoped
public class HeaderSizeLimit {

    private final long limit;
    private final ProblemWriter problems;

    HeaderSizeLimit(@ConfigProperty(name = "timeout-policy.http.max-header-size") MemorySize limit,
            ProblemWriter problems) {
        this.limit = limit.asLongValue();
        this.problems = problems;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 1).handler(this::check);
    }

    private void check(RoutingContext context) {
        long size = 0;
        for (Map.Entry<String, String> header : context.request().headers()) {
            size += header.getKey().length() + header.getValue().length() + 4;
        }
        if (size <= limit) {
            context.next();
            return;
        }
        problems.refuse(context, new Problem("urn:timeout-policy:problem:headers-too-large",
                "Request header fields too large", 431, "The request headers have " + size + " bytes; the limit is "
                + limit, context.request().path(), null));
    }
}
