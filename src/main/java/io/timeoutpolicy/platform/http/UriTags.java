package io.timeoutpolicy.platform.http;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Keeps the {@code uri} tag of {@code http_server_requests_*} bounded whatever the client sends. Quarkus tags a
 * request with its route template, and a 404 with {@code NOT_FOUND}; but a request refused before any route
 * matched (a foreign {@code Origin} refused by CORS, a URL refused by {@link UrlTextCheck}, a method no route
 * takes) would be tagged with its raw path, and 100 distinct junk paths would fill Micrometer's cap of URI tags:
 * from then on the API's own requests would get no series and the latency alerts could never fire. Such an answer
 * is tagged {@value #REFUSED} instead, through the route-template key the HTTP metrics and traces read.
 */
@ApplicationScoped
public class UriTags {

    /** The one uri tag of every request answered with an error before (or without) a route template. */
    public static final String REFUSED = "/refused";
    /** Where Quarkus REST and the HTTP metrics keep the template of the route that matched. */
    public static final String TEMPLATE_KEY = "UrlPathTemplate";

    /**
     * First of all routes (every refusal comes after it, at a higher order), so that every answer has the hook.
     * A request failed before any handler (no Host) is tagged by {@link RouteFailures} through {@link #refused()}.
     */
    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(context -> {
            Context request = Vertx.currentContext();
            context.addHeadersEndHandler(ignored -> tag(context, request));
            context.next();
        });
    }

    /** Tags the current request {@value #REFUSED} unless a route template was found. */
    static void refused() {
        Context request = Vertx.currentContext();
        if (request != null && request.getLocal(TEMPLATE_KEY) == null) {
            request.putLocal(TEMPLATE_KEY, REFUSED);
        }
    }

    private static void tag(RoutingContext context, Context request) {
        int status = context.response().getStatusCode();
        if (status < 400 || status == 404 || request == null || request.getLocal(TEMPLATE_KEY) != null
                || answeredByFixedRoute(context)) {
            return;
        }
        request.putLocal(TEMPLATE_KEY, REFUSED);
    }

    /** Health, metrics and the other non-API endpoints have a route of a fixed path: a bounded set of tags. */
    private static boolean answeredByFixedRoute(RoutingContext context) {
        Route route = context.currentRoute();
        return route != null && route.getPath() != null && !route.getPath().isEmpty() && !route.getPath().equals("/")
                && !context.failed();
    }
}
