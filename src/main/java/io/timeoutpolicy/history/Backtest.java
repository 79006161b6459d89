package io.timeoutpolicy.history;

/**
 * Recorded attempts of one operation against several timeouts at once (SPEC 10.1's backtest): per timeout,
 * how many successful attempts it would have cut off and how long clients would have waited in all.
 */
public final class Backtest {

    private final double[] limits;
    private final long[] successesLonger;
    private final Sum[] waits;
    private long attempts;
    private long successes;

    Backtest(double[] limits) {
        this.limits = limits.clone();
        this.successesLonger = new long[limits.length];
        this.waits = new Sum[limits.length];
        for (int k = 0; k < limits.length; k++) {
            waits[k] = new Sum();
        }
    }

    double[] limits() {
        return limits;
    }

    /** Adds one chunk's figures: {@code chunkWaits[k]} is Σ min(duration, limit k) over its attempts. */
    void addChunk(long chunkAttempts, long chunkSuccesses, long[] chunkLonger, double[] chunkWaits) {
        attempts += chunkAttempts;
        successes += chunkSuccesses;
        for (int k = 0; k < limits.length; k++) {
            successesLonger[k] += chunkLonger[k];
            waits[k].add(chunkWaits[k]);
        }
    }

    public long attempts() {
        return attempts;
    }

    public long successes() {
        return successes;
    }

    /** Successful attempts longer than limit {@code k}: the ones it would have cut off. */
    public long wouldTimeOut(int k) {
        return successesLonger[k];
    }

    /** The share (0 to 1) of successful attempts limit {@code k} would have cut off; 0 without successes. */
    public double falseTimeoutRate(int k) {
        return successes == 0 ? 0.0 : (double) successesLonger[k] / successes;
    }

    /** Σ min(duration, limit k): a client waits for the operation or the timeout, whichever ends first. */
    public double totalWaitSeconds(int k) {
        return waits[k].value();
    }
}
