package io.timeoutpolicy.circuit;

import io.timeoutpolicy.history.HistoryView;
import io.timeoutpolicy.platform.ServiceClock;
import io.timeoutpolicy.policy.EnvironmentPolicy;
import io.timeoutpolicy.policy.Operation;
import io.timeoutpolicy.policy.PolicyStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/** The fleet circuit of an environment from its connection attempts in memory. */
@ApplicationScoped
public class CircuitService {

    private final HistoryView history;
    private final PolicyStore policies;
    private final ServiceClock clock;

    CircuitService(HistoryView history, PolicyStore policies, ServiceClock clock) {
        this.history = history;
        this.policies = policies;
        this.clock = clock;
    }

    /** The circuit of an environment named as in a path (case-insensitive); a 404 when it has no policy. */
    public CircuitState state(String rawEnvironment) {
        return state(policies.require(rawEnvironment));
    }

    public CircuitState state(EnvironmentPolicy policy) {
        return state(policy, clock.now());
    }

    /** The circuit of {@code policy} at {@code now}: for a caller that has asked the clock already. */
    public CircuitState state(EnvironmentPolicy policy, Instant now) {
        return CircuitState.of(policy.environment(), history.failureStreak(policy.environment(), Operation.CONNECTION,
                policy.adaptive().historyWindow(), now), policy.circuit(), now);
    }
}
