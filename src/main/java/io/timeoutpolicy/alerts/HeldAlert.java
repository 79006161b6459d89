package io.timeoutpolicy.alerts;

import java.time.Instant;
import java.util.UUID;

/**
 * An alert raised while the database was unavailable: {@code occurrences} repeats of a signal seen at
 * {@code seenAt}, stored later onto the alert of its key last seen after {@code cooldownStart}, or as new.
 */
record HeldAlert(AlertSignal signal, int occurrences, Instant seenAt, Instant cooldownStart) {

    /** How it is streamed and answered before it is stored: as a new alert. */
    Alert unstored() {
        return new Alert(UUID.randomUUID(), signal.environment(), signal.operation(), signal.level(), signal.type(),
                signal.message(), signal.value(), signal.threshold(), seenAt, seenAt, occurrences);
    }
}
