package io.timeoutpolicy.platform.http;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.timeoutpolicy.platform.problem.Problem;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The last phase of a graceful shutdown seen from HTTP: once the shutdown delay is over, a new request is
 * refused with 503 (nothing written, retry elsewhere) while those already in flight are finished.
 *
 * <p>Quarkus' own drain (quarkus.shutdown.timeout) waits for the requests in flight but lets new ones in
 * until the server is closed; on a kept-alive connection such a request could be written and never answered.
 * Health probes pass: readiness answers DOWN by itself.
 */
@ApplicationScoped
public class ShutdownDrain {

    private final Vertx vertx;
    private final Duration delay;
    private volatile boolean draining;

    ShutdownDrain(Vertx vertx, @ConfigProperty(name = "quarkus.shutdown.delay") Duration delay) {
        this.vertx = vertx;
        this.delay = delay;
    }

    void install(@Observes Router router, ProblemWriter problems) {
        router.route().order(Integer.MIN_VALUE + 1).handler(context -> admit(context, problems));
    }

    /** Readiness is DOWN from now on; requests are refused when the load balancers have had the delay to let go. */
    void onShutdownDelay(@Observes ShutdownDelayInitiatedEvent event) {
        if (delay.isZero() || delay.isNegative()) {
            draining = true;
        } else {
            vertx.setTimer(delay.toMillis(), timer -> draining = true);
        }
    }

    private void admit(RoutingContext context, ProblemWriter problems) {
        if (!draining || context.request().path().startsWith("/q/health")) {
            context.next();
            return;
        }
        context.response().putHeader(HttpHeaders.RETRY_AFTER, "1");
        problems.refuse(context, new Problem("urn:timeout-policy:problem:shutting-down", "Shutting down", 503,
                "This replica is shutting down and takes no new requests; retry, another replica will answer",
                context.request().path(), null));
    }
}
