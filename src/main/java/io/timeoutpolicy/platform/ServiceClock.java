package io.timeoutpolicy.platform;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * The service's notion of now, for every rule that compares time (windows, circuit, cooldowns, audit times)
 * and nothing else: no class asks the system clock itself, so a test can move time instead of sleeping
 * (see {@code MovableClock} in the tests).
 */
@ApplicationScoped
public class ServiceClock {

    public Instant now() {
        return Instant.now();
    }
}
