package io.timeoutpolicy.alerts.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.timeoutpolicy.alerts.Alert;
import io.timeoutpolicy.alerts.AlertsConfig;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Pushes alerts to the configured receivers (SPEC 4.9). Called by the replica that raised or repeated an
 * alert, so that a fleet delivers each alert once; it only queues, so it never delays the request.
 */
// Made at start-up, so that a receiver's configuration is checked, and logged, before the first alert.
@Startup
@ApplicationScoped
public class AlertDelivery {

    private record Route(Receiver receiver, ReceiverQueue queue) {
    }

    private final List<Route> routes;
    private final AlertMessages messages;
    private final Duration shutdownWait;

    AlertDelivery(AlertsConfig config, ObjectMapper mapper, Vertx vertx, MeterRegistry registry) {
        DeliverySettings settings = config.delivery();
        this.messages = new AlertMessages(mapper, settings.dashboardUrl());
        this.shutdownWait = settings.shutdownWait();
        this.routes = config.receivers().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> route(Receiver.of(e.getKey(), e.getValue()), settings, vertx, registry)).toList();
        routes.forEach(r -> Log.infof("Alerts are delivered to %s (%s, %s)", r.receiver().name(),
                r.receiver().format().name().toLowerCase(Locale.ROOT), r.receiver().url()));
    }

    /** Queues the alert for every receiver that wants it; {@code raised} is false for a repeat. */
    public void deliver(Alert alert, boolean raised, Duration cooldown) {
        long now = System.nanoTime();
        for (Route route : routes) {
            if (route.receiver().wants(alert, raised)) {
                route.queue().offer(messages.outgoing(route.receiver(), alert, cooldown, now));
            }
        }
    }

    /** Gives the queues {@code shutdown-wait} to empty, on the shutdown thread (never an event loop). */
    void onShutdown(@Observes ShutdownEvent event) throws InterruptedException {
        long deadline = System.nanoTime() + shutdownWait.toNanos();
        while (routes.stream().anyMatch(r -> !r.queue().isIdle()) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        routes.forEach(r -> {
            int left = r.queue().depth();
            if (left > 0) {
                Log.warnf("%d alert deliveries to %s not made before shutdown", left, r.receiver().name());
            }
            r.queue().close();
        });
    }

    private static Route route(Receiver receiver, DeliverySettings settings, Vertx vertx, MeterRegistry registry) {
        ReceiverQueue queue = new ReceiverQueue(receiver, settings, new ReceiverPost(receiver, settings, vertx),
                new DeliveryCounters(receiver.name(), registry), vertx);
        Gauge.builder("timeout_policy.alert.delivery.queue", queue, ReceiverQueue::depth)
                .tag("receiver", receiver.name()).description("Alert deliveries waiting for a receiver")
                .register(registry);
        return new Route(receiver, queue);
    }
}
