package io.timeoutpolicy;

import io.timeoutpolicy.platform.ServiceClock;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The service's clock, moved by tests instead of sleeping: the system clock plus an offset. Enabled only by
 * test profiles that name it ({@code getEnabledAlternatives}).
 */
@Alternative
@ApplicationScoped
public class MovableClock extends ServiceClock {

    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

    @Override
    public Instant now() {
        return Instant.now().plus(offset.get());
    }

    public void advance(Duration by) {
        offset.updateAndGet(current -> current.plus(by));
    }
}
