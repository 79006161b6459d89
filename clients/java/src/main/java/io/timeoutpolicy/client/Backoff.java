package io.timeoutpolicy.client;

import java.time.Duration;

/** The pause before a batch is sent again: doubling from 0.5 s to 30 s, and never less than a Retry-After. */
record Backoff(Duration first, Duration max) {

    static final Backoff REPORTING = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));

    /** The pause after {@code failures} failures in a row (1 for the first). */
    Duration pause(int failures, Duration retryAfter) {
        long doubled = first.toMillis() << Math.min(30, Math.max(0, failures - 1));
        Duration pause = Duration.ofMillis(Math.min(max.toMillis(), doubled));
        if (retryAfter != null && retryAfter.compareTo(pause) > 0) {
            return retryAfter.compareTo(max) > 0 ? max : retryAfter;
        }
        return pause;
    }
}
