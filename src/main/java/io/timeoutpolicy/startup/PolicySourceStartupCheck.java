package io.timeoutpolicy.startup;

import io.timeoutpolicy.policy.PolicyStore;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Startup;

/**
 * Started as soon as the service can answer timeouts, which it can from its built-in policies even
 * without a database (the golden rule); the data says where the policies come from.
 */
@Startup
@ApplicationScoped
public class PolicySourceStartupCheck implements HealthCheck {

    private final PolicyStore policies;

    PolicySourceStartupCheck(PolicyStore policies) {
        this.policies = policies;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("policies").up()
                .withData("source", policies.isLoadedFromDatabase() ? "database" : "built-in defaults")
                .build();
    }
}
