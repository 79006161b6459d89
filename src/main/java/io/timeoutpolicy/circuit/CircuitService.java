package io.timeoutpolicy.circuit;

import io.timeoutpolicy.history.HistoryView;
import io.timeoutpolicy.platform.ServiceClock;
import io.timeoutpolicy.policy.EnvironmentPolicy;
import io.timeoutpolicy.policy.Operation;
import jakarta.enterprise.context.ApplicationScoped;

/** The fleet circuit of an environment from its connection attempts in memory. */
@ApplicationScoped
public class CircuitService {

    private final HistoryView history;
    private final ServiceClock clock;

    CircuitService(HistoryView history, ServiceClock clock) {
        this.history = history;
        this.clock = clock;
    }

    public CircuitState state(EnvironmentPolicy policy) {
        return CircuitState.of(policy.environment(), history.failureStreak(policy.environment(), Operation.CONNECTION,
                policy.adaptive().historyWindow()), policy.circuit(), clock.now());
    }
}
