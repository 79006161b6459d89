package io.timeoutpolicy.alerts.delivery;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Capped exponential backoff with jitter: after the n-th failure the wait is {@code initial × 2^(n-1)}, at most
 * {@code max}, then spread over its upper half so that replicas retrying one receiver do not call it in step.
 */
record Backoff(Duration initial, Duration max) {

    Duration after(int failures, DoubleSupplier random) {
        if (failures < 1) {
            throw new IllegalArgumentException("a backoff follows at least one failure");
        }
        long capped = max.toMillis();
        long exponential = initial.toMillis() << Math.min(failures - 1, 30);
        long wait = exponential <= 0 ? capped : Math.min(exponential, capped);
        return Duration.ofMillis(wait / 2 + Math.round(wait / 2.0 * random.getAsDouble()));
    }
}
