package io.timeoutpolicy.alerts;

import io.smallrye.config.ConfigMapping;
import io.timeoutpolicy.alerts.delivery.DeliverySettings;
import io.timeoutpolicy.alerts.delivery.ReceiverSettings;
import io.timeoutpolicy.platform.database.WriteBehind;
import java.time.Duration;
import java.util.Map;

/** The alert stream, alerts raised while the database is unavailable, and where alerts are delivered. */
@ConfigMapping(prefix = "timeout-policy.alerts")
public interface AlertsConfig {

    /** How often the stream sends a comment line so that proxies keep it open. */
    Duration heartbeatInterval();

    /** Alerts raised while the database is unavailable: streamed at once, stored when it is back. */
    WriteBehind.Settings writeBehind();

    /** Receivers by name (SPEC 4.9); none by default. */
    Map<String, ReceiverSettings> receivers();

    DeliverySettings delivery();
}
