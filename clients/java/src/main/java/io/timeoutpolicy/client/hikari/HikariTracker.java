package io.timeoutpolicy.client.hikari;

import com.zaxxer.hikari.metrics.IMetricsTracker;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.metrics.PoolStats;
import io.timeoutpolicy.client.integration.PoolReports;

/**
 * HikariCP's tracker hook for pool acquisitions: a wait over TIMEOUT_POLICY_POOL_WAIT_REPORT_MS and every
 * acquisition time-out are reported as {@code pool}; an immediate acquisition costs one comparison. Physical
 * connects are reported by the DataSource wrapper instead, which also sees failed connects and the pool's
 * fail-fast first connect (HikariCP calls its tracker for neither). The application's own factory, if any,
 * still gets every call.
 */
final class HikariTracker implements MetricsTrackerFactory {

    private final PoolReports reports;
    private final MetricsTrackerFactory chained;
    private final long connectionTimeoutMillis;
    private final java.util.function.Consumer<String> poolStarted;

    HikariTracker(PoolReports reports, MetricsTrackerFactory chained, long connectionTimeoutMillis,
            java.util.function.Consumer<String> poolStarted) {
        this.reports = reports;
        this.poolStarted = poolStarted;
        this.chained = chained;
        this.connectionTimeoutMillis = connectionTimeoutMillis;
    }

    @Override
    public IMetricsTracker create(String poolName, PoolStats poolStats) {
        poolStarted.accept(poolName); // the name HikariCP gave the pool: its HikariConfigMXBean's, for live values
        IMetricsTracker own = chained == null ? null : chained.create(poolName, poolStats);
        return own == null ? new Tracker(reports, reports.poolWaitReportNanos(), connectionTimeoutMillis)
                : new Chained(reports, reports.poolWaitReportNanos(), connectionTimeoutMillis, own);
    }

    private static class Tracker implements IMetricsTracker {
        final PoolReports reports;
        final long thresholdNanos;
        final long timeoutNanos;

        Tracker(PoolReports reports, long thresholdNanos, long connectionTimeoutMillis) {
            this.reports = reports;
            this.thresholdNanos = thresholdNanos;
            this.timeoutNanos = connectionTimeoutMillis * 1_000_000L;
        }

        /** The pool's timeout in force: the served one changes live (SPEC 9.3). */
        long timeoutNanos() {
            Double seconds = reports.poolTimeoutSeconds();
            return seconds == null ? timeoutNanos : (long) (seconds * 1e9);
        }

        /** A wait that reached the timeout, kept for the recordConnectionTimeout that follows on this thread. */
        private final ThreadLocal<long[]> timedOut = ThreadLocal.withInitial(() -> new long[1]);

        @Override
        public void recordConnectionAcquiredNanos(long elapsedAcquiredNanos) {
            if (elapsedAcquiredNanos > thresholdNanos) { // the hot path: nothing else when it did not wait
                if (elapsedAcquiredNanos >= timeoutNanos()) {
                    // HikariCP records a timed-out borrow here too, then calls recordConnectionTimeout
                    timedOut.get()[0] = elapsedAcquiredNanos;
                } else {
                    reports.acquired(elapsedAcquiredNanos);
                }
            }
        }

        @Override
        public void recordConnectionTimeout() {
            long[] waited = timedOut.get();
            reports.acquireFailed(waited[0] > 0 ? waited[0] : timeoutNanos(), null);
            waited[0] = 0;
        }
    }

    private static final class Chained extends Tracker {
        private final IMetricsTracker own;

        Chained(PoolReports reports, long thresholdNanos, long connectionTimeoutMillis, IMetricsTracker own) {
            super(reports, thresholdNanos, connectionTimeoutMillis);
            this.own = own;
        }

        @Override
        public void recordConnectionAcquiredNanos(long elapsedAcquiredNanos) {
            super.recordConnectionAcquiredNanos(elapsedAcquiredNanos);
            own.recordConnectionAcquiredNanos(elapsedAcquiredNanos);
        }

        @Override
        public void recordConnectionTimeout() {
            super.recordConnectionTimeout();
            own.recordConnectionTimeout();
        }

        @Override
        public void recordConnectionCreatedMillis(long connectionCreatedMillis) {
            own.recordConnectionCreatedMillis(connectionCreatedMillis);
        }

        @Override
        public void recordConnectionUsageMillis(long elapsedBorrowedMillis) {
            own.recordConnectionUsageMillis(elapsedBorrowedMillis);
        }

        @Override
        public void close() {
            own.close();
        }
    }
}
