package io.timeoutpolicy.alerts;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.enterprise.context.ApplicationScoped;

/** Fans every alert raised or repeated on this instance out to the connected stream clients. */
@ApplicationScoped
public class AlertHub {

    private final BroadcastProcessor<Alert> alerts = BroadcastProcessor.create();

    void publish(Alert alert) {
        alerts.onNext(alert);
    }

    /** Alerts from now on; a slow client drops what it cannot take rather than holding others back. */
    public Multi<Alert> alerts() {
        return alerts.onOverflow().drop();
    }
}
