package io.timeoutpolicy.timeouts;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;

/** Held start-up-config watches (SPEC 10.4). */
@ConfigMapping(prefix = "timeout-policy.watch")
public interface WatchConfig {

    /** How many watches one replica holds at once; one more is answered 503 with Retry-After. Defaults to {@code 10000}. */
    int maxHeld();

    /** The Retry-After of that 503. Defaults to {@code 5s}. */
    Duration retryAfter();
}
