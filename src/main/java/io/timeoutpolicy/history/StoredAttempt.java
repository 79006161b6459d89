package io.timeoutpolicy.history;

import java.time.Instant;

/** An attempt as PostgreSQL stored it: with its order of receipt and the time it was written. */
public record StoredAttempt(Attempt attempt, long seq, Instant receivedAt) {
}
