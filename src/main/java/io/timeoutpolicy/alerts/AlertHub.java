package io.timeoutpolicy.alerts;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Fans every alert raised or repeated in the fleet (here, or announced by another replica) out to the
 * stream clients connected to this replica; at shutdown it completes, which ends their streams.
 */
@ApplicationScoped
public class AlertHub {

    private final BroadcastProcessor<Alert> alerts = BroadcastProcessor.create();

    void publish(Alert alert) {
        alerts.onNext(alert);
    }

    /** Ends every stream: clients reconnect to a replica that is not leaving (readiness is DOWN by now). */
    void onShutdownDelay(@Observes ShutdownDelayInitiatedEvent event) {
        alerts.onComplete();
    }

    void onShutdown(@Observes ShutdownEvent event) {
        alerts.onComplete();
    }

    /** Alerts from now on; a slow client drops what it cannot take rather than holding others back. */
    public Multi<Alert> alerts() {
        return alerts.onOverflow().drop();
    }
}
