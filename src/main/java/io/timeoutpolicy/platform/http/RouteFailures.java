package io.timeoutpolicy.platform.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.quarkus.logging.Log;
import io.timeoutpolicy.platform.problem.Problem;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Failures of the HTTP layer below the resources (a request without {@code Host}, a stream failing while it is
 * read, a bug in a route) are problem details too, never Quarkus's own JSON or a plain-text page (SPEC 5). The
 * 413 of a chunked body has its own handler ({@link BodySizeLimit}); an answer already begun is left alone.
 */
@ApplicationScoped
public class RouteFailures {

    private final ProblemWriter problems;

    RouteFailures(ProblemWriter problems) {
        this.problems = problems;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 2).failureHandler(this::answer);
    }

    private void answer(RoutingContext context) {
        int status = context.statusCode();
        if (context.response().headWritten() || status == 413 || context.response().closed()) {
            context.next();
            return;
        }
        String path = context.request().path();
        UriTags.refused();
        if (status < 400 || status > 599) {
            Log.errorf(context.failure(), "Unexpected failure answering %s %s", context.request().method(), path);
            status = 500;
        }
        problems.refuse(context, new Problem("about:blank", HttpResponseStatus.valueOf(status).reasonPhrase(), status,
                detail(context, status), path, null));
    }

    private static String detail(RoutingContext context, int status) {
        if (status == 400 && context.request().authority() == null) {
            return "An HTTP/1.1 request needs a Host header";
        }
        return status >= 500 ? "The service failed unexpectedly; the failure is logged"
                : HttpResponseStatus.valueOf(status).reasonPhrase();
    }
}
