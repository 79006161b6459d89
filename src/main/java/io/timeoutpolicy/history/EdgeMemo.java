package io.timeoutpolicy.history;

/**
 * The summary of the attempts in a window's first, partial minute, kept while they stay the same. The full
 * minutes after it come merged from {@link MinuteBuckets}, but the partial one was added attempt by attempt for
 * every answer: with ten million attempts in 23 hours, 7 000 additions under the series' lock for each GET
 * timeouts, which halved the requests a second (BENCHMARKS.md). The attempts in it change only when the window's
 * start passes one of them, a few hundred answers later at that rate, or when the log changes there.
 * <p>
 * A summary is known by its log, the first and last attempt of its range and the newest stamp of the chunks
 * that hold them: any change in a chunk gives it a stamp newer than every other ({@link AttemptLog#newestStamp}),
 * and stamps move with their chunks when old ones are forgotten, so no index has to stay put. Guarded by the
 * series' lock, as the log is.
 */
final class EdgeMemo {

    private final boolean successesOnly;
    private final boolean withQuantiles;
    private Summary summary;
    /** The log's {@link AttemptLog#identity}: a reference would keep a log a catch-up replaced alive. */
    private long source;
    private long firstAt;
    private long firstSeq;
    private long lastAt;
    private long lastSeq;
    private long stamp;
    /** How many times a range was added up attempt by attempt: what the tests see of the memo working. */
    private int scans;

    /** Of every attempt or of the successful ones only, with a sketch of their durations or without. */
    EdgeMemo(boolean successesOnly, boolean withQuantiles) {
        this.successesOnly = successesOnly;
        this.withQuantiles = withQuantiles;
    }

    /**
     * What adding the attempts [from, to) of {@code log} one by one to an empty summary gives (those that
     * succeeded only, for a memo of successes), as a summary of the caller's own to go on adding to.
     */
    Summary summaryOf(AttemptLog log, int from, int to) {
        if (from >= to) {
            return new Summary(withQuantiles);
        }
        long newest = log.newestStamp(from, to);
        if (summary == null || log.identity() != source || newest != stamp || log.at(from) != firstAt
                || log.seq(from) != firstSeq || log.at(to - 1) != lastAt || log.seq(to - 1) != lastSeq) {
            summary = scan(log, from, to);
            source = log.identity();
            firstAt = log.at(from);
            firstSeq = log.seq(from);
            lastAt = log.at(to - 1);
            lastSeq = log.seq(to - 1);
            stamp = newest;
        }
        return summary.copy();
    }

    int scans() {
        return scans;
    }

    private Summary scan(AttemptLog log, int from, int to) {
        scans++;
        Summary scanned = new Summary(withQuantiles);
        for (int i = from; i < to; i++) {
            if (!successesOnly || log.success(i)) {
                scanned.add(log, i);
            }
        }
        return scanned;
    }
}
