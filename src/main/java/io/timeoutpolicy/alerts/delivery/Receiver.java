package io.timeoutpolicy.alerts.delivery;

import io.timeoutpolicy.alerts.Alert;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** A configured receiver, and which alerts it wants. */
record Receiver(String name, URI url, Format format, Optional<String> secret, boolean criticalOnly,
        Optional<Set<String>> environments) {

    static Receiver of(String name, ReceiverSettings settings) {
        boolean criticalOnly = settings.minLevel().map(level -> switch (level.toLowerCase(Locale.ROOT)) {
            case "critical" -> true;
            case "warning" -> false;
            default -> throw new IllegalArgumentException("timeout-policy.alerts.receivers." + name
                    + ".min-level must be warning or critical, not " + level);
        }).orElse(false);
        return new Receiver(name, settings.url(), settings.format(), settings.secret().filter(s -> !s.isBlank()),
                criticalOnly, settings.environments().filter(names -> !names.isEmpty()).map(names -> names.stream()
                        .map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet())));
    }

    /**
     * Whether this receiver is sent the alert, {@code raised} new or repeated. Alertmanager is sent every repeat,
     * which moves its {@code endsAt} on; a chat channel is told once per alert.
     */
    boolean wants(Alert alert, boolean raised) {
        if (criticalOnly && !"critical".equals(alert.level())) {
            return false;
        }
        if (environments.isPresent() && !environments.get().contains(alert.environment())) {
            return false;
        }
        return raised || format != Format.SLACK;
    }
}
