package io.timeoutpolicy.analysis;

import java.util.List;

/**
 * The direction of a trend: the later half of the non-empty buckets against the earlier half, weighted by
 * attempts. Degrading when the average grows by more than 20 % or the success rate falls by more than 10
 * points; improving when the average shrinks by more than 20 % and the success rate does not fall that much.
 */
public final class TrendDirection {

    static final double SLOWER = 1.2;
    static final double FASTER = 0.8;
    static final double SUCCESS_RATE_DROP = 10;

    private TrendDirection() {
    }

    public static String of(List<Trend.Bucket> buckets) {
        List<Trend.Bucket> filled = buckets.stream().filter(b -> b.attempts() > 0).toList();
        if (filled.size() < 2) {
            return Trend.STABLE;
        }
        int half = filled.size() / 2;
        Half earlier = Half.of(filled.subList(0, half));
        Half later = Half.of(filled.subList(half, filled.size()));
        if (later.average > SLOWER * earlier.average || later.successRate < earlier.successRate - SUCCESS_RATE_DROP) {
            return Trend.DEGRADING;
        }
        if (later.average < FASTER * earlier.average) {
            return Trend.IMPROVING;
        }
        return Trend.STABLE;
    }

    private record Half(double average, double successRate) {
        static Half of(List<Trend.Bucket> buckets) {
            long attempts = 0;
            double time = 0;
            double successes = 0;
            for (Trend.Bucket b : buckets) {
                attempts += b.attempts();
                time += b.average() * b.attempts();
                successes += b.successRate() * b.attempts() / 100;
            }
            return new Half(time / attempts, successes * 100 / attempts);
        }
    }
}
