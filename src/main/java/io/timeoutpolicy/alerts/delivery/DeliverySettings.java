package io.timeoutpolicy.alerts.delivery;

import java.net.URI;
import java.time.Duration;

/** How alerts are delivered to every receiver: {@code timeout-policy.alerts.delivery.*}. */
public interface DeliverySettings {

    /** Deliveries waiting per receiver; when full the oldest waiting one is dropped, and counted. */
    int queueCapacity();

    /** One POST to a receiver, connection included. */
    Duration timeout();

    /** The wait before the first retry; doubled after each failure up to {@link #maxBackoff()}. */
    Duration initialBackoff();

    Duration maxBackoff();

    /** A delivery still failing this long after it was queued is given up, and counted as failed. */
    Duration giveUpAfter();

    /** How long shutdown waits for the queues to empty. */
    Duration shutdownWait();

    /** The dashboard, linked from every alert ({@code generatorURL}, the Slack message). */
    URI dashboardUrl();

    CircuitBreaker circuitBreaker();

    /** A fault-tolerance circuit breaker per receiver, so a dead receiver is not called on every retry. */
    interface CircuitBreaker {

        int requestVolumeThreshold();

        double failureRatio();

        Duration delay();
    }
}
