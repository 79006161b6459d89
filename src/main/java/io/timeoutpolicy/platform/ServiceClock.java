package io.timeoutpolicy.platform;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * The service's notion of now, for every rule that compares time (windows, circuit, cooldowns). One bean
 * so that tests can move time instead of sleeping.
 */
@ApplicationScoped
public class ServiceClock {

    public Instant now() {
        return Instant.now();
    }
}
