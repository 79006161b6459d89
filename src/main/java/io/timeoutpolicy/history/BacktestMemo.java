package io.timeoutpolicy.history;

import java.util.HashMap;
import java.util.Map;

/**
 * What the backtest found in each whole chunk of an {@link AttemptLog}, by the chunk's stamp (a new one at
 * every change of the chunk), so that a backtest of ten million attempts reads the two chunks at the window's
 * edges and a map per chunk instead of every duration again (SPEC 10.1's answer under 100 ms at that size):
 * <ul>
 * <li>per chunk, its shortest and longest duration, their sum and its successes: a limit at or above the
 *     longest cuts nothing off and waits the sum, one below the shortest cuts every success off and waits the
 *     limit each time, whatever the limit (an adaptive effective timeout moves between requests);</li>
 * <li>per chunk and limit, the figures of a chunk the limit falls inside.</li>
 * </ul>
 * Each pass keeps only the entries it used, so the memo never holds more than the window's chunks for the
 * limits of the last pass. Guarded by the series' lock, as the log is.
 */
final class BacktestMemo {

    /** One whole chunk against one limit: its successes, those longer than the limit, Σ min(duration, limit). */
    record Figures(long successes, long longer, double waited) {
    }

    private record Summary(double shortest, double longest, Figures uncut) {
    }

    private Map<Long, Summary> summaries = new HashMap<>();
    private Map<Long, Map<Long, Figures>> byLimit = new HashMap<>();

    /** The memo of one backtest over {@code limits}: what earlier passes found, and what this one uses. */
    Pass pass(double[] limits) {
        return new Pass(limits);
    }

    final class Pass {
        private final double[] limits;
        private final long[] keys;
        private final Map<Long, Summary> usedSummaries = new HashMap<>();
        private final Map<Long, Map<Long, Figures>> used = new HashMap<>();

        private Pass(double[] limits) {
            this.limits = limits;
            keys = new long[limits.length];
            for (int k = 0; k < limits.length; k++) {
                keys[k] = Double.doubleToLongBits(limits[k]);
                used.putIfAbsent(keys[k], new HashMap<>());
            }
        }

        /** The figures of a whole chunk (stamp {@code stamp}, columns {@code d} and {@code f}) against limit k. */
        Figures whole(int k, long stamp, double[] d, byte[] f, byte success) {
            Summary summary = usedSummaries.get(stamp);
            if (summary == null) {
                summary = summaries.get(stamp);
                if (summary == null) {
                    summary = summarise(d, f, success);
                }
                usedSummaries.put(stamp, summary);
            }
            double limit = limits[k];
            Figures uncut = summary.uncut();
            if (limit >= summary.longest()) {
                return uncut;
            }
            if (limit < summary.shortest()) {
                return new Figures(uncut.successes(), uncut.successes(), limit * d.length);
            }
            Map<Long, Figures> known = byLimit.get(keys[k]);
            Figures figures = known == null ? null : known.get(stamp);
            if (figures == null) {
                figures = scan(d, f, 0, d.length, limit, uncut.successes(), success);
            }
            used.get(keys[k]).put(stamp, figures);
            return figures;
        }

        /** Chunks that changed, left the window or were not asked for are forgotten here. */
        void end() {
            summaries = usedSummaries;
            byLimit = used;
        }
    }

    private static Summary summarise(double[] d, byte[] f, byte success) {
        double shortest = Double.POSITIVE_INFINITY;
        double longest = Double.NEGATIVE_INFINITY;
        for (double v : d) {
            shortest = Math.min(shortest, v);
            longest = Math.max(longest, v);
        }
        // The sum as scan adds it, so that an uncut chunk gives the very figures a scan would.
        return new Summary(shortest, longest, scan(d, f, 0, d.length, Double.POSITIVE_INFINITY,
                successes(f, 0, f.length, success), success));
    }

    /** The successful entries [o, stop) of one chunk's flags. */
    static long successes(byte[] f, int o, int stop, byte success) {
        long successes = 0;
        for (int i = o; i < stop; i++) {
            successes += f[i] & success;
        }
        return successes;
    }

    /** The entries [o, stop) of one chunk's columns against one limit. */
    static Figures scan(double[] d, byte[] f, int o, int stop, double limit, long successes, byte success) {
        // Locals and two accumulators: a sum kept in an array, or in one register, waits on the previous
        // addition at every attempt; this runs at memory speed instead.
        double even = 0.0;
        double odd = 0.0;
        long cut = 0;
        int i = o;
        for (; i + 1 < stop; i += 2) {
            double a = d[i];
            double b = d[i + 1];
            even += Math.min(a, limit);
            odd += Math.min(b, limit);
            cut += (a > limit ? f[i] & success : 0) + (b > limit ? f[i + 1] & success : 0);
        }
        if (i < stop) {
            even += Math.min(d[i], limit);
            cut += d[i] > limit ? f[i] & success : 0;
        }
        return new Figures(successes, cut, even + odd);
    }
}
