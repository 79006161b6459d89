package io.timeoutpolicy.alerts;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What a reconnecting stream client missed, from its {@code Last-Event-ID} ({@code <alert id>/<occurrences>}, the id
 * of every alert event) and the stored alerts, newest first. Pure: the resource reads the alerts and streams the
 * result, oldest first, before the live events.
 *
 * <p>Stored alerts are updated in place by their repeats, so "after the last event" is told by time: when the
 * client saw the alert's current state, everything last seen since then is new to it; when the alert has repeated
 * since, the client missed at least that repeat, and everything last seen since the alert was first seen is sent
 * again (at least once: a client keeps the highest occurrences per id, as the dashboard does). An id the stored
 * alerts do not hold (malformed, older than the newest {@link AlertsResource#LIST_LIMIT}, or an alert raised during
 * an outage and stored under another id) resumes nothing: the client gets the live events only.
 */
final class AlertResumption {

    private AlertResumption() {
    }

    /** The event id of an alert's current state. */
    static String eventId(Alert alert) {
        return alert.id() + "/" + alert.occurrences();
    }

    /** The alerts to send again, oldest first. */
    static List<Alert> missed(List<Alert> storedNewestFirst, String lastEventId) {
        Optional<LastEvent> last = LastEvent.parse(lastEventId);
        if (last.isEmpty()) {
            return List.of();
        }
        Optional<Alert> seen = storedNewestFirst.stream().filter(a -> a.id().equals(last.get().id())).findFirst();
        if (seen.isEmpty()) {
            return List.of();
        }
        Alert alert = seen.get();
        boolean current = alert.occurrences() <= last.get().occurrences();
        List<Alert> missed = new ArrayList<>();
        for (Alert stored : storedNewestFirst) {
            if (stored.id().equals(alert.id())) {
                if (!current) {
                    missed.add(stored);
                }
            } else if (current ? !stored.lastSeen().isBefore(alert.lastSeen())
                    : !stored.lastSeen().isBefore(alert.firstSeen())) {
                missed.add(stored);
            }
        }
        missed.sort(Comparator.comparing(Alert::lastSeen));
        return missed;
    }

    record LastEvent(UUID id, int occurrences) {

        static Optional<LastEvent> parse(String value) {
            if (value == null) {
                return Optional.empty();
            }
            int slash = value.trim().lastIndexOf('/');
            if (slash < 0) {
                return Optional.empty();
            }
            try {
                return Optional.of(new LastEvent(UUID.fromString(value.trim().substring(0, slash)),
                        Integer.parseInt(value.trim().substring(slash + 1))));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
    }
}
