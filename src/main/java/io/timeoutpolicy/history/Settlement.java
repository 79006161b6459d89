package io.timeoutpolicy.history;

/**
 * One attempt held in memory under {@code provisionalSeq} (accepted while the database was unavailable), and
 * how PostgreSQL stored it ({@code stored}, null when it did not): what writing it changes in a log.
 */
record Settlement(Attempt held, long provisionalSeq, StoredAttempt stored, int serviceId) {

    /** What {@link #applyTo} did to a log. */
    enum Outcome {
        /** The log did not hold the provisional attempt (expired, or never there). */
        ABSENT,
        /** The attempt kept its place and took its stored seq. */
        KEPT_IN_PLACE,
        /** The provisional attempt left, and PostgreSQL had not stored it. */
        REMOVED,
        /** The provisional attempt left; the log held it under its stored seq already (a retry), or too old. */
        TWIN_REMOVED,
        /** The provisional attempt left and came back as PostgreSQL stored it, with other values. */
        MOVED
    }

    /** Gives the log's provisional attempt its stored seq, or replaces it by what PostgreSQL holds. */
    Outcome applyTo(AttemptLog log, long expiredBefore) {
        int i = log.indexOf(Micros.of(held.occurredAt()), provisionalSeq);
        if (i < 0) {
            return Outcome.ABSENT;
        }
        if (stored != null && isAsHeld()) {
            // The common case: the same attempt, only its seq changes; it stays where it is.
            return log.reseq(i, stored.seq()) ? Outcome.KEPT_IN_PLACE : Outcome.TWIN_REMOVED;
        }
        log.removeAt(i);
        if (stored == null) {
            return Outcome.REMOVED;
        }
        Attempt a = stored.attempt();
        long storedAt = Micros.of(a.occurredAt());
        boolean inserted = storedAt >= expiredBefore && log.insert(storedAt, stored.seq(), a.durationSeconds(),
                a.timeoutSeconds(), a.success(), a.violation(), serviceId);
        return inserted ? Outcome.MOVED : Outcome.TWIN_REMOVED;
    }

    long heldMinute() {
        return MinuteBuckets.minuteOf(Micros.of(held.occurredAt()));
    }

    long storedMinute() {
        return MinuteBuckets.minuteOf(Micros.of(stored.attempt().occurredAt()));
    }

    /** PostgreSQL holds what memory holds (not an earlier attempt of the same id with other values). */
    private boolean isAsHeld() {
        Attempt a = stored.attempt();
        return Micros.of(a.occurredAt()) == Micros.of(held.occurredAt())
                && a.durationSeconds() == held.durationSeconds() && a.timeoutSeconds() == held.timeoutSeconds()
                && a.success() == held.success() && a.violation() == held.violation();
    }
}
