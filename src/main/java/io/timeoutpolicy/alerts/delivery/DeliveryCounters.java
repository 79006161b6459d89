package io.timeoutpolicy.alerts.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** {@code timeout_policy_alert_deliveries_total{receiver, outcome}} for one receiver. */
final class DeliveryCounters {

    private final Counter delivered;
    private final Counter retried;
    private final Counter failed;
    private final Counter dropped;

    DeliveryCounters(String receiver, MeterRegistry registry) {
        this.delivered = counter(receiver, "delivered", registry);
        this.retried = counter(receiver, "retried", registry);
        this.failed = counter(receiver, "failed", registry);
        this.dropped = counter(receiver, "dropped", registry);
    }

    void delivered() {
        delivered.increment();
    }

    /** A POST failed and will be made again. */
    void retried() {
        retried.increment();
    }

    /** Given up after {@code give-up-after}. */
    void failed() {
        failed.increment();
    }

    /** Pushed out of a full queue. */
    void dropped() {
        dropped.increment();
    }

    private static Counter counter(String receiver, String outcome, MeterRegistry registry) {
        return Counter.builder("timeout_policy.alert.deliveries").tag("receiver", receiver).tag("outcome", outcome)
                .description("Alert deliveries to a receiver, by outcome").register(registry);
    }
}
