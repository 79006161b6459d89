package io.timeoutpolicy.history;

import java.time.Instant;

/**
 * The attempts of one environment and operation in a window, summarised exactly: counts, sum, extremes,
 * the newest durations, and a quantile function (from a sketch, SPEC 4.1: within 1 % of the exact
 * nearest-rank value). Pure data: every rule computes from this.
 *
 * @param recent the durations of the newest attempts in the window (at most {@link #RECENT}), oldest first
 */
public record WindowStats(long count, long successes, long violations, double sum, double min, double max,
        double last, Instant oldest, Instant newest, double[] recent, Quantiles quantiles) {

    /** How many of the newest attempts are kept: the "recent 20" of SPEC 4.1 and 4.7. */
    public static final int RECENT = 20;

    public static final WindowStats EMPTY = new WindowStats(0, 0, 0, 0.0, 0.0, 0.0, 0.0, null, null, new double[0],
            q -> 0.0);

    /** Nearest-rank quantiles of the durations in the window. */
    @FunctionalInterface
    public interface Quantiles {
        double at(double quantile);
    }

    public boolean isEmpty() {
        return count == 0;
    }

    public double average() {
        return count == 0 ? 0.0 : sum / count;
    }

    /** Success rate in percent; 0.0 without attempts (SPEC 4.1). */
    public double successRate() {
        return count == 0 ? 0.0 : successes * 100.0 / count;
    }

    /** Timeout violation rate in percent; 0.0 without attempts (SPEC 4.1). */
    public double violationRate() {
        return count == 0 ? 0.0 : violations * 100.0 / count;
    }

    /** Mean duration of the newest {@code n} attempts in the window (all of them when fewer). */
    public double recentAverage(int n) {
        int take = Math.min(n, recent.length);
        if (take == 0) {
            return 0.0;
        }
        double sumRecent = 0.0;
        for (int i = recent.length - take; i < recent.length; i++) {
            sumRecent += recent[i];
        }
        return sumRecent / take;
    }

    /** What the heuristic of SPEC 4.2 needs, with the recent 10. */
    public ConnectionHistory connectionHistory() {
        return new ConnectionHistory(count, average(), recentAverage(10), successRate(), violationRate());
    }
}
