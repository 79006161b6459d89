package io.timeoutpolicy.history;

/**
 * An attempt in memory that is not stored yet (accepted while the database is unavailable), under a
 * provisional seq of this replica until it is.
 */
public record Provisional(Attempt attempt, long seq) {
}
