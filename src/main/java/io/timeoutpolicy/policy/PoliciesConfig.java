package io.timeoutpolicy.policy;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;

/** Policy caching. */
@ConfigMapping(prefix = "timeout-policy.policies")
public interface PoliciesConfig {

    /**
     * How often the in-memory policies are reloaded from PostgreSQL, so that a change made through another
     * replica reaches this one (read by the scheduler of {@link PolicyStore}).
     */
    Duration refreshInterval();
}
