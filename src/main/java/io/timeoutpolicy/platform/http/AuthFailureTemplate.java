package io.timeoutpolicy.platform.http;

import io.quarkus.logging.Log;
import io.quarkus.vertx.http.runtime.security.HttpSecurityRecorder.DefaultAuthFailureHandler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.lang.reflect.Constructor;
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
 * Quarkus adds its filters) and makes the same swap itself, with Quarkus REST's own handler; the filter then
 * finds nothing left to do. SecurityTests and ReadersRequireKeyTests hold the 401 problems as they were.
 */
@ApplicationScoped
public class AuthFailureTemplate {

    /** Where Quarkus keeps the handler of authentication failures (HttpSecurityRecorder's key). */
    static final String AUTH_FAILURE_HANDLER = "io.quarkus.vertx.http.auth-failure-handler";
    /** Quarkus REST's filter: -1 × its priority, right after authentication (-200). */
    static final int ORDER = -199;
    static final String FAILING_HANDLER_CLASS =
            "io.quarkus.resteasy.reactive.server.runtime.ResteasyReactiveRecorder$FailingDefaultAuthFailureHandler";

    /**
     * Quarkus REST's own replacement handler, one stateless instance: REST recognises it by its class when it
     * begins processing a request (and removes it, so that later failures reach the exception mappers), so no
     * look-alike will do. Null when this Quarkus has no such class: the filter is then left to work as it does.
     */
    private static final Object FAILING_HANDLER = failingHandler();

    void install(@Observes Router router) {
        if (FAILING_HANDLER != null) {
            router.route().order(ORDER).handler(AuthFailureTemplate::swap);
        }
    }

    private static void swap(RoutingContext context) {
        if (context.get(AUTH_FAILURE_HANDLER) instanceof DefaultAuthFailureHandler) {
            context.put(AUTH_FAILURE_HANDLER, FAILING_HANDLER);
        }
        context.next();
    }

    private static Object failingHandler() {
        try {
            Constructor<?> constructor = Class.forName(FAILING_HANDLER_CLASS).getDeclaredConstructor();
            constructor.setAccessible(true);
            Object handler = constructor.newInstance();
            return handler instanceof BiConsumer<?, ?> ? handler : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            Log.warnf("Quarkus REST has no %s: every request builds a route table for its metrics (%s)",
                    FAILING_HANDLER_CLASS, e);
            return null;
        }
    }
}
