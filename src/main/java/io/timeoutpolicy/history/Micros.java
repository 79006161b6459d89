package io.timeoutpolicy.history;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Instants as microseconds since the epoch: PostgreSQL's precision, and cheap to compare. */
final class Micros {

    private Micros() {
    }

    static long of(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }

    static Instant toInstant(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }
}
