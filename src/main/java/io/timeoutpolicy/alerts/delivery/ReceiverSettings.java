package io.timeoutpolicy.alerts.delivery;

import java.net.URI;
import java.util.Optional;
import java.util.Set;

/** One receiver, {@code timeout-policy.alerts.receivers.<name>.*} (SPEC 4.9). */
public interface ReceiverSettings {

    /** Where alerts are posted: for Alertmanager its {@code /api/v2/alerts} address. */
    URI url();

    Format format();

    /** The HMAC-SHA256 key that signs the {@code json} format; unsigned without one. */
    Optional<String> secret();

    /** {@code warning} (every alert) or {@code critical}; every alert when absent. */
    Optional<String> minLevel();

    /** Only alerts of these environments; every environment when absent. */
    Optional<Set<String>> environments();
}
