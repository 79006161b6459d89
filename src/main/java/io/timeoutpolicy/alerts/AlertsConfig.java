package io.timeoutpolicy.alerts;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The alert stream. */
@ConfigMapping(prefix = "timeout-policy.alerts")
public interface AlertsConfig {

    /** How often the stream sends a comment line so that proxies keep it open. Defaults to {@code 15s}. */
    @WithDefault("15s")
    Duration heartbeatInterval();
}
