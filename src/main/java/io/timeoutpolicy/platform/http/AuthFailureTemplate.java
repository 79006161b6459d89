package io.timeoutpolicy.platform.http;

import io.quarkus.vertx.http.runtime.security.HttpSecurityRecorder.DefaultAuthFailureHandler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.function.BiConsumer;

/**
 * Spares every request a copy of Quarkus REST's whole route table. With HTTP security and metrics both present,
 * Quarkus REST (3.34) installs a filter (priority 199, just after authentication) that, on every request, builds
 * a new {@code RequestMapper} from all resource classes to find the route template an authentication failure
 * would be tagged with, then swaps the default authentication-failure handler for one that fails the routing
 * context so that the REST exception mappers answer. That build was about a tenth of the allocation of GET
 * …/timeouts (JFR, BENCHMARKS.md). Authentication is not proactive here: it happens inside the REST layer, after
 * the route matched and its template is known, so the early lookup is never needed. This route runs first in
 * the same slot (routes of one order run in the order they were added, and the router's observers run before
 * Quarkus adds its filters) and makes the same swap itself; the filter then finds nothing left to do.
 */
@ApplicationScoped
public class AuthFailureTemplate {

    /** Where Quarkus keeps the handler of authentication failures (HttpSecurityRecorder's key). */
    static final String AUTH_FAILURE_HANDLER = "io.quarkus.vertx.http.auth-failure-handler";
    /** Quarkus REST's filter: -1 × its priority, right after authentication (-200). */
    static final int ORDER = -199;

    private static final BiConsumer<RoutingContext, Throwable> FAIL_THE_CONTEXT = AuthFailureTemplate::fail;

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(AuthFailureTemplate::swap);
    }

    private static void swap(RoutingContext context) {
        if (context.get(AUTH_FAILURE_HANDLER) instanceof DefaultAuthFailureHandler) {
            context.put(AUTH_FAILURE_HANDLER, FAIL_THE_CONTEXT);
        }
        context.next();
    }

    /** What Quarkus REST's own replacement does: the REST exception mappers (ProblemMapper) answer. */
    private static void fail(RoutingContext context, Throwable failure) {
        DefaultAuthFailureHandler.markIfOtherAuthenticationFailure(context, failure);
        if (!context.failed()) {
            context.fail(DefaultAuthFailureHandler.extractRootCause(failure));
        }
    }
}
