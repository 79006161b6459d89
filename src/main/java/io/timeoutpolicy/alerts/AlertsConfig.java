package io.timeoutpolicy.alerts;

import io.smallrye.config.ConfigMapping;
import io.timeoutpolicy.platform.database.WriteBehind;
import java.time.Duration;

/** The alert stream, and alerts raised while the database is unavailable. */
@ConfigMapping(prefix = "timeout-policy.alerts")
public interface AlertsConfig {

    /** How often the stream sends a comment line so that proxies keep it open. */
    Duration heartbeatInterval();

    /** Alerts raised while the database is unavailable: streamed at once, stored when it is back. */
    WriteBehind.Settings writeBehind();
}
