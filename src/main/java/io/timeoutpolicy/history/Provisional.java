package io.timeoutpolicy.history;

/**
 * An attempt in memory that is not stored yet (accepted while the database is unavailable), under a
 * provisional seq of this replica until it is. An attempt replayed from the journal at start-up has the seq
 * {@link #REPLAYED}: memory does not hold it until it is written.
 */
public record Provisional(Attempt attempt, long seq) {

    /** The seq of an attempt replayed from the journal: neither provisional (negative) nor stored (positive). */
    public static final long REPLAYED = 0;

    public boolean isReplayed() {
        return seq == REPLAYED;
    }
}
