package io.timeoutpolicy.history;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * The in-memory history of one environment and operation: every attempt (for exact answers at window
 * edges, recent attempts and simulation) plus per-minute buckets with aggregates and sketches, so that a
 * window of a million attempts is summarised by merging ~1 440 buckets ({@link MinuteBuckets}) instead of
 * scanning.
 */
final class AttemptSeries {

    static final long BUCKET_MICROS = MinuteBuckets.BUCKET_MICROS;
    /** Up to this many attempts, quantiles are computed exactly from the attempts themselves. */
    static final int EXACT_QUANTILES_LIMIT = 4096;
    private static final long UNKNOWN = Long.MAX_VALUE;
    private static final long NO_FAILURE = Long.MIN_VALUE;

    private AttemptLog log = new AttemptLog();
    private MinuteBuckets buckets = new MinuteBuckets();
    /**
     * While a catch-up fills a fresh copy of this series from PostgreSQL, the attempts that arrive here
     * meanwhile; {@link #adopt} moves them into the copy. Null before the first catch-up, when everything in
     * the log arrived meanwhile.
     */
    private AttemptLog journal;
    /** Attempts before this were forgotten; no query reaches further back. */
    private long expiredBefore = Long.MIN_VALUE;
    /**
     * When the newest failure in the log occurred ({@link #NO_FAILURE} without one), or {@link #UNKNOWN} after a
     * change that may have removed it. The circuit of every start-up-config answer needs it, and finding it walks
     * back over every success since: the whole window of a healthy environment, under this lock.
     */
    private long newestFailure = UNKNOWN;
    /** The window's partial first minute, summarised: of every attempt without and with quantiles, of successes. */
    private final EdgeMemo edge = new EdgeMemo(false, false);
    private final EdgeMemo edgeWithQuantiles = new EdgeMemo(false, true);
    private final EdgeMemo successfulEdge = new EdgeMemo(true, true);

    /**
     * Adds an attempt unless it is held already or older than what memory keeps; true when it was added.
     * Replicas and catch-ups may deliver one attempt twice: it counts once.
     */
    synchronized boolean add(StoredAttempt stored, int serviceId) {
        Attempt a = stored.attempt();
        return add(Micros.of(a.occurredAt()), stored.seq(), a.durationSeconds(), a.timeoutSeconds(), a.success(),
                a.violation(), serviceId);
    }

    /** One attempt as its columns: how a catch-up fills a fresh series without making objects per row. */
    synchronized boolean add(long atMicros, long seq, double duration, double timeout, boolean success,
            boolean violation, int serviceId) {
        if (atMicros < expiredBefore || !log.insert(atMicros, seq, duration, timeout, success, violation, serviceId)) {
            return false;
        }
        if (journal != null) {
            journal.insert(atMicros, seq, duration, timeout, success, violation, serviceId);
        }
        buckets.add(atMicros, duration, success, violation);
        if (!success && newestFailure != UNKNOWN && atMicros >= newestFailure) {
            newestFailure = atMicros;
        }
        return true;
    }

    /**
     * Attempts held under provisional seqs (accepted while the database was unavailable) have been written:
     * each leaves memory under its provisional seq and comes back as PostgreSQL stored it, so that a later
     * catch-up knows it; one that PostgreSQL held already (a retry) and memory too counts once. Answers how
     * many were already held that way. The minutes touched are summed again from the attempts.
     */
    synchronized int settle(List<Settlement> settlements) {
        newestFailure = UNKNOWN;
        Set<Long> touched = new HashSet<>();
        int twins = 0;
        for (Settlement s : settlements) {
            if (journal != null) {
                // The journal follows the log, so that adopting it brings the stored seq, not the provisional.
                s.applyTo(journal, Long.MIN_VALUE);
            }
            switch (s.applyTo(log, expiredBefore)) {
                case ABSENT, KEPT_IN_PLACE -> { }
                case REMOVED -> touched.add(s.heldMinute());
                case TWIN_REMOVED -> {
                    twins++;
                    touched.add(s.heldMinute());
                }
                case MOVED -> {
                    touched.add(s.heldMinute());
                    touched.add(s.storedMinute());
                }
            }
        }
        touched.forEach(minute -> buckets.sumAgain(minute, log, expiredBefore));
        return twins;
    }

    /** From now until {@link #adopt}, what arrives is also kept apart, to be moved into the fresh copy. */
    synchronized void startJournal() {
        journal = new AttemptLog();
    }

    /**
     * Takes over {@code fresh}, a copy filled by a catch-up since the journal started: what arrived here
     * meanwhile (the journal, or for a series that did not exist then the whole log) moves into the copy,
     * where an attempt the catch-up read too counts once, and the copy replaces what this series held, in
     * one step under its lock.
     */
    synchronized void adopt(AttemptSeries fresh, long freshAfterMicros) {
        AttemptLog arrived = journal != null ? journal : log;
        for (int i = arrived.head(); i < arrived.end(); i++) {
            fresh.add(arrived.at(i), arrived.seq(i), arrived.duration(i), arrived.timeout(i), arrived.success(i),
                    arrived.violation(i), arrived.service(i));
        }
        log = fresh.log;
        newestFailure = UNKNOWN;
        buckets = fresh.buckets;
        buckets.renewed();
        journal = null;
        expiredBefore = Long.MIN_VALUE;
        expireBefore(freshAfterMicros);
    }

    /** Attempts held, and the bytes their columns take. */
    synchronized long size() {
        return log.length();
    }

    synchronized long heapBytes() {
        return log.heapBytes() + (journal == null ? 0 : journal.heapBytes());
    }

    synchronized void expireBefore(long micros) {
        expiredBefore = Math.max(expiredBefore, micros);
        log.dropBefore(micros);
        newestFailure = UNKNOWN;
        buckets.expireBefore(micros);
    }

    synchronized boolean isEmpty() {
        return log.length() == 0;
    }

    /** The attempts that occurred after {@code afterMicros}, optionally of some services only. */
    synchronized WindowStats window(long afterMicros, IntPredicate services, boolean withQuantiles) {
        return range(afterMicros + 1, Long.MAX_VALUE, services, withQuantiles);
    }

    /** The attempts with {@code lo <= occurred_at < hi} (micros). */
    synchronized WindowStats range(long from, long hi, IntPredicate services, boolean withQuantiles) {
        // Partly expired minutes have lost their buckets: start where memory is complete.
        long lo = Math.max(from, expiredBefore);
        int first = log.firstAtOrAfter(lo);
        int end = hi == Long.MAX_VALUE ? log.end() : log.firstAtOrAfter(hi);
        if (first >= end) {
            return WindowStats.EMPTY;
        }
        boolean exactQuantiles = withQuantiles && end - first <= EXACT_QUANTILES_LIMIT;
        if (services != null || exactQuantiles) {
            Summary scanned = exactQuantiles ? Summary.exact(end - first) : new Summary(withQuantiles);
            for (int i = first; i < end; i++) {
                if (services == null || services.test(log.service(i))) {
                    scanned.add(log, i);
                }
            }
            return scanned.count == 0 ? WindowStats.EMPTY
                    : scanned.toStats(log, scanned.firstIndex(), scanned.recentIndices());
        }
        Summary summary;
        long firstFull = MinuteBuckets.firstFullMinute(lo);
        long endFull = hi == Long.MAX_VALUE ? Long.MAX_VALUE : Math.floorDiv(hi, BUCKET_MICROS);
        if (firstFull >= endFull) {
            summary = new Summary(withQuantiles);
            summary.addAll(log, first, end);
        } else {
            EdgeMemo partial = withQuantiles ? edgeWithQuantiles : edge;
            summary = partial.summaryOf(log, first, log.firstAtOrAfter(firstFull * BUCKET_MICROS));
            MinuteBuckets.Merged full = buckets.full(firstFull, endFull, withQuantiles);
            summary.addSummary(full.summary, full.durations);
            if (hi != Long.MAX_VALUE) {
                summary.addAll(log, log.firstAtOrAfter(endFull * BUCKET_MICROS), end);
            }
        }
        return summary.toStats(log, first, recentIndices(first, end));
    }

    /**
     * Successful attempts after {@code afterMicros}: how many, a quantile of their durations and the longest of
     * them.
     */
    synchronized SuccessfulDurations successfulDurations(long afterMicros, double quantile) {
        long lo = Math.max(afterMicros + 1, expiredBefore);
        long firstFull = MinuteBuckets.firstFullMinute(lo);
        Summary successful = successfulEdge.summaryOf(log, log.firstAtOrAfter(lo),
                log.firstAtOrAfter(firstFull * BUCKET_MICROS));
        MinuteBuckets.Merged full = buckets.full(firstFull, Long.MAX_VALUE, true);
        successful.count += full.summary.successes;
        successful.quantiles.mergeWith(full.successfulDurations);
        // Bucket minima cover failures too; they only bound the sketch's error here.
        double min = Math.min(successful.min, full.summary.min);
        double longest = Math.max(successful.maxSuccess, full.summary.maxSuccess);
        if (successful.count == 0) {
            return new SuccessfulDurations(0, 0.0, 0.0);
        }
        return new SuccessfulDurations(successful.count,
                Sketches.nearestRank(successful.quantiles, quantile, min, longest), longest);
    }

    /**
     * The failures since the last success, and the newest failure, among the attempts after
     * {@code afterMicros} (SPEC 4.6).
     */
    synchronized FailureStreak failureStreak(long afterMicros) {
        int first = log.firstAtOrAfter(Math.max(afterMicros + 1, expiredBefore));
        int consecutive = 0;
        for (int i = log.end() - 1; i >= first && !log.success(i); i--) {
            consecutive++;
        }
        if (consecutive > 0) {
            return new FailureStreak(consecutive, Micros.toInstant(log.at(log.end() - 1)));
        }
        // The log is in time order: the newest failure is in the window exactly when it is not before its first.
        long newest = newestFailure();
        boolean inWindow = newest != NO_FAILURE && first < log.end() && newest >= log.at(first);
        return new FailureStreak(0, inWindow ? Micros.toInstant(newest) : null);
    }

    private long newestFailure() {
        if (newestFailure == UNKNOWN) {
            int i = log.end() - 1;
            while (i >= log.head() && log.success(i)) {
                i--;
            }
            newestFailure = i >= log.head() ? log.at(i) : NO_FAILURE;
        }
        return newestFailure;
    }

    /** What candidate timeouts would have done to the attempts after {@code afterMicros}. */
    synchronized SimulationTotals simulate(long afterMicros, double candidateSeconds) {
        SimulationTotals simulation = new SimulationTotals();
        for (int i = log.firstAtOrAfter(afterMicros + 1); i < log.end(); i++) {
            simulation.add(log.duration(i), log.timeout(i), log.success(i), candidateSeconds);
        }
        return simulation;
    }

    /**
     * The attempts after {@code afterMicros} against each of {@code limits} (SPEC 10.1's backtest), in one pass
     * over the columns.
     */
    synchronized Backtest backtest(long afterMicros, double[] limits) {
        Backtest totals = new Backtest(limits);
        int first = log.firstAtOrAfter(Math.max(afterMicros + 1, expiredBefore));
        log.backtest(first, log.end(), totals);
        return totals;
    }

    private int[] recentIndices(int first, int end) {
        int from = Math.max(first, end - WindowStats.RECENT);
        int[] indices = new int[end - from];
        for (int i = from; i < end; i++) {
            indices[i - from] = i;
        }
        return indices;
    }
}
