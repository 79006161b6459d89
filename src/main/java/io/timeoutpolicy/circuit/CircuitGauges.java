package io.timeoutpolicy.circuit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.timeoutpolicy.policy.PolicyStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code timeout_policy_circuit_state{environment}}: 0 closed, 1 half-open, 2 open, read from the history at
 * every scrape. Environments are added by policy changes at run time, so new ones are looked for regularly.
 */
@ApplicationScoped
class CircuitGauges {

    private final CircuitService circuits;
    private final PolicyStore policies;
    private final MeterRegistry registry;
    private final Set<String> registered = ConcurrentHashMap.newKeySet();

    CircuitGauges(CircuitService circuits, PolicyStore policies, MeterRegistry registry) {
        this.circuits = circuits;
        this.policies = policies;
        this.registry = registry;
    }

    @Scheduled(every = "${timeout-policy.circuit.gauge-refresh-interval}", delayed = "1s")
    void registerNewEnvironments() {
        for (String environment : policies.known()) {
            if (registered.add(environment)) {
                Gauge.builder("timeout_policy.circuit.state", () -> level(environment)).tag("environment", environment)
                        .description("Fleet circuit of an environment: 0 closed, 1 half-open, 2 open")
                        .register(registry);
            }
        }
    }

    private int level(String environment) {
        return policies.find(environment).map(circuits::state).map(state -> switch (state.state()) {
            case CircuitState.OPEN -> 2;
            case CircuitState.HALF_OPEN -> 1;
            default -> 0;
        }).orElse(0);
    }
}
