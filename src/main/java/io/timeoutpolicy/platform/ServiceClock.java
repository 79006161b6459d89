package io.timeoutpolicy.platform;

import jakarta.inject.Singleton;
import java.time.Instant;

/**
 * The service's notion of now, for every rule that compares time (windows, circuit, cooldowns, audit times)
 * and nothing else: no class asks the system clock itself, so a test can move time instead of sleeping
 * (see {@code MovableClock} in the tests).
 *
 * <p>A singleton: a start-up-config answer asks it the time, and an application-scoped bean's client proxy would
 * look its instance up on every call.
 */
@Singleton
public class ServiceClock {

    public Instant now() {
        return Instant.now();
    }
}
