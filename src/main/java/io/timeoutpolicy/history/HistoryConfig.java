package io.timeoutpolicy.history;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;

/** Connection history: what is kept, in memory and in PostgreSQL, and how replicas stay in step. */
@ConfigMapping(prefix = "timeout-policy.history")
public interface HistoryConfig {

    /**
     * The least history kept in memory; the view keeps more when a policy's history window is longer.
     * Query windows (metrics, simulate) may not exceed it.
     */
    Duration horizon();

    /** How often attempts written by other replicas are read into memory (by {@link HistoryReplication}). */
    Duration refreshInterval();

    /**
     * How far back each refresh looks again, so that a transaction that committed late is still seen.
     * Longer than any write may take (insert timeout 5 s, statement_timeout 6 s).
     */
    Duration refreshLookback();

    /** Most attempts one refresh statement reads; a longer gap is read page after page. */
    int refreshPageSize();

    /** Reading the history from PostgreSQL after a start, or when a policy's window outgrows memory. */
    CatchUp catchUp();

    interface CatchUp {
        /**
         * Attempts per keyset page: one statement each, far inside {@code statement_timeout} (about 40 ms of
         * PostgreSQL time per 50 000 on two cores).
         */
        int pageSize();

        /** The wait after the first failure of a page; it doubles after each further one. */
        Duration retryInitialDelay();

        /** The longest wait between two tries of a failing page (the catch-up never gives up). */
        Duration retryMaxDelay();

        /**
         * The {@code Retry-After} of history-based answers (metrics, analysis, …) asked for while memory does
         * not yet hold their whole window (503).
         */
        Duration retryAfter();

        /** How often progress (pages, attempts, attempts/s) is logged while catching up. */
        Duration logInterval();
    }

    /**
     * Most distinct service names one environment's attempts in memory carry; the attempts of further names count
     * for the environment but not per service, and a per-service metrics query that would miss them is a 409.
     */
    int servicesPerEnvironment();

    /** How long attempts are kept in PostgreSQL; older ones are refused and pruned. */
    Duration retention();

    /** How often old attempts are pruned (the scheduler of {@link AttemptPruner}). */
    Duration pruneInterval();

    /** Rows deleted per pruning statement, so that pruning never holds long locks. */
    int pruneBatchSize();
}
