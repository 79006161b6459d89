package io.timeoutpolicy.alerts.delivery;

import java.util.Map;
import java.util.UUID;

/**
 * One alert on its way to one receiver: the body and headers to post, how often posting it failed, and when it
 * was queued ({@link System#nanoTime()}), from which it is given up.
 */
record Outgoing(UUID alertId, byte[] body, Map<String, String> headers, int failures, long queuedAt) {

    Outgoing failedOnce() {
        return new Outgoing(alertId, body, headers, failures + 1, queuedAt);
    }
}
