package io.timeoutpolicy.client;

import java.time.Duration;

/** Retry advice (SPEC 3): delays in seconds. */
public record Retry(int maxRetries, double baseDelay, double maxDelay, double exponentialBase, boolean jitter) {

    /** The delay before retry {@code attempt} (1 for the first), without jitter: base × exponent^(n-1), capped. */
    public Duration delay(int attempt) {
        double seconds = Math.min(maxDelay, baseDelay * Math.pow(exponentialBase, Math.max(0, attempt - 1)));
        return Duration.ofNanos((long) (seconds * 1e9));
    }
}
