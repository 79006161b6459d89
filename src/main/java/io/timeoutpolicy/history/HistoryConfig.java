package io.timeoutpolicy.history;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Connection history: what is kept, in memory and in PostgreSQL, and how replicas stay in step. */
@ConfigMapping(prefix = "timeout-policy.history")
public interface HistoryConfig {

    /**
     * The least history kept in memory; the view keeps more when a policy's history window is longer.
     * Query windows (metrics, simulate) may not exceed it. Defaults to {@code PT24H}.
     */
    @WithDefault("PT24H")
    Duration horizon();

    /** How often attempts written by other replicas are read into memory. Defaults to {@code 2s}. */
    @WithDefault("2s")
    Duration refreshInterval();

    /**
     * How far back each refresh looks again, so that a transaction that committed late is still seen.
     * Longer than any write may take (insert timeout 5 s, statement_timeout 6 s). Defaults to {@code 10s}.
     */
    @WithDefault("10s")
    Duration refreshLookback();

    /** Most attempts one refresh statement reads; a longer gap is read page after page. Defaults to {@code 10000}. */
    @WithDefault("10000")
    int refreshPageSize();

    /** Reading the history from PostgreSQL after a start, or when a policy's window outgrows memory. */
    CatchUp catchUp();

    interface CatchUp {
        /**
         * Attempts per keyset page: one statement each, far inside {@code statement_timeout} (about 40 ms of
         * PostgreSQL time per 50 000 on two cores). Defaults to {@code 50000}.
         */
        @WithDefault("50000")
        int pageSize();

        /** The wait after the first failure of a page; it doubles after each further one. Defaults to {@code 1s}. */
        @WithDefault("1s")
        Duration retryInitialDelay();

        /** The longest wait between two tries of a failing page (the catch-up never gives up). Defaults to {@code 30s}. */
        @WithDefault("30s")
        Duration retryMaxDelay();

        /**
         * The {@code Retry-After} of history-based answers (metrics, analysis, …) asked for while memory does
         * not yet hold their whole window (503). Defaults to {@code 5s}.
         */
        @WithDefault("5s")
        Duration retryAfter();

        /** How often progress (pages, attempts, attempts/s) is logged while catching up. Defaults to {@code 5s}. */
        @WithDefault("5s")
        Duration logInterval();
    }

    /** How long attempts are kept in PostgreSQL; older ones are refused and pruned. Defaults to {@code P30D}. */
    @WithDefault("P30D")
    Duration retention();

    /** How often old attempts are pruned. Defaults to {@code 10m}. */
    @WithDefault("10m")
    Duration pruneInterval();

    /** Rows deleted per pruning statement, so that pruning never holds long locks. Defaults to {@code 5000}. */
    @WithDefault("5000")
    int pruneBatchSize();

    /** Attempts the write-behind buffer holds while the database is unavailable. Defaults to {@code 100000}. */
    @WithDefault("100000")
    int bufferCapacity();

    /** How often the write-behind buffer tries the database. Defaults to {@code 1s}. */
    @WithDefault("1s")
    Duration bufferFlushInterval();

    /** How long a graceful shutdown waits to write the buffer. Defaults to {@code 10s}. */
    @WithDefault("10s")
    Duration shutdownFlushTimeout();

    /** Group-commit statements in flight at once. Defaults to {@code 4}. */
    @WithDefault("4")
    int writerConcurrency();

    /** Most attempts in one group-commit statement. Defaults to {@code 5000}. */
    @WithDefault("5000")
    int maxBatchRows();
}
