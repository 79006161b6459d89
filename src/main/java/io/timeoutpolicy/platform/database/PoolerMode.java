package io.timeoutpolicy.platform.database;

/**
 * What stands between the service and PostgreSQL ({@code timeout-policy.database.pooler}). A pooler such as
 * PgBouncer shares a few server connections among many clients: in {@code transaction} mode a client keeps a
 * server connection for one transaction only, in {@code session} mode for as long as it stays connected.
 */
public enum PoolerMode {

    /** The service connects to PostgreSQL itself (the default). */
    NONE,
    /** Through a pooler in transaction mode (PgBouncer {@code pool_mode = transaction}). */
    TRANSACTION,
    /** Through a pooler in session mode (PgBouncer {@code pool_mode = session}). */
    SESSION;

    /**
     * True when a pooler is in between: the service then sends no start-up parameter a pooler refuses by
     * default (PgBouncer accepts only the few it tracks, everything else ends the connection with 08P01).
     */
    public boolean isPooled() {
        return this != NONE;
    }

    /**
     * True when consecutive transactions of one client connection may run on different server connections:
     * named prepared statements and session settings ({@code SET}, {@code LISTEN}) do not survive the end of
     * a transaction there.
     */
    public boolean sharesServerConnectionsBetweenTransactions() {
        return this == TRANSACTION;
    }
}
