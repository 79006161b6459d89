package io.timeoutpolicy.history;

import com.datadoghq.sketch.ddsketch.DDSketch;
import java.util.Arrays;

/** Accumulates attempts, buckets and merged buckets into the exact aggregates of a {@link WindowStats}. */
final class Summary {

    long count;
    long successes;
    long violations;
    final Sum sum = new Sum();
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double maxSuccess = Double.NEGATIVE_INFINITY;
    final DDSketch quantiles;
    /** Every duration, when the window is small enough for exact quantiles; null otherwise. */
    private double[] exact;
    private int firstIndex = -1;
    private final int[] recent = new int[WindowStats.RECENT];
    private int recentCount;

    Summary(boolean withQuantiles) {
        this(withQuantiles ? Sketches.empty() : null);
    }

    private Summary(DDSketch quantiles) {
        this.quantiles = quantiles;
    }

    /** A summary of at most {@code expected} attempts added one by one, with exact nearest-rank quantiles. */
    static Summary exact(int expected) {
        Summary summary = new Summary(false);
        summary.exact = new double[expected];
        return summary;
    }

    void add(AttemptLog log, int i) {
        double duration = log.duration(i);
        count++;
        if (log.success(i)) {
            successes++;
            maxSuccess = Math.max(maxSuccess, duration);
        }
        violations += log.violation(i) ? 1 : 0;
        sum.add(duration);
        min = Math.min(min, duration);
        max = Math.max(max, duration);
        if (quantiles != null) {
            quantiles.accept(duration);
        }
        if (exact != null) {
            exact[(int) count - 1] = duration;
        }
        if (firstIndex < 0) {
            firstIndex = i;
        }
        recent[recentCount++ % WindowStats.RECENT] = i;
    }

    void addAll(AttemptLog log, int from, int to) {
        for (int i = from; i < to; i++) {
            add(log, i);
        }
    }

    void addBucket(Bucket bucket) {
        count += bucket.count;
        successes += bucket.successes;
        violations += bucket.violations;
        sum.add(bucket.sum);
        min = Math.min(min, bucket.min);
        max = Math.max(max, bucket.max);
        maxSuccess = Math.max(maxSuccess, bucket.maxSuccess);
    }

    /** Adds merged full buckets; their sketch joins ours when we collect quantiles. */
    void addSummary(Summary other, DDSketch otherQuantiles) {
        count += other.count;
        successes += other.successes;
        violations += other.violations;
        sum.add(other.sum);
        min = Math.min(min, other.min);
        max = Math.max(max, other.max);
        maxSuccess = Math.max(maxSuccess, other.maxSuccess);
        if (quantiles != null && otherQuantiles != null) {
            quantiles.mergeWith(otherQuantiles);
        }
    }

    /**
     * A summary holding this one's aggregates and sketch, bit for bit, to go on adding to: what it gives is what
     * adding the same attempts to it one by one would have given. Which indices were added is not copied.
     */
    Summary copy() {
        Summary copy = new Summary(quantiles == null ? null : quantiles.copy());
        copy.count = count;
        copy.successes = successes;
        copy.violations = violations;
        copy.sum.set(sum);
        copy.min = min;
        copy.max = max;
        copy.maxSuccess = maxSuccess;
        return copy;
    }

    int firstIndex() {
        return firstIndex;
    }

    /** The indices of the newest attempts added one by one, oldest first. */
    int[] recentIndices() {
        int n = Math.min(recentCount, WindowStats.RECENT);
        int[] indices = new int[n];
        for (int k = 0; k < n; k++) {
            indices[k] = recent[(recentCount - n + k) % WindowStats.RECENT];
        }
        return indices;
    }

    private WindowStats.Quantiles quantileFunction() {
        if (exact != null) {
            double[] sorted = Arrays.copyOf(exact, (int) count);
            Arrays.sort(sorted);
            return q -> sorted[(int) Math.max(0, Math.ceil(q * sorted.length - 1e-9) - 1)];
        }
        DDSketch sketch = quantiles;
        double low = min;
        double high = max;
        return sketch == null ? q -> Double.NaN : q -> Sketches.nearestRank(sketch, q, low, high);
    }

    WindowStats toStats(AttemptLog log, int oldestIndex, int[] recentIndices) {
        double[] recentDurations = new double[recentIndices.length];
        for (int k = 0; k < recentIndices.length; k++) {
            recentDurations[k] = log.duration(recentIndices[k]);
        }
        int newestIndex = recentIndices[recentIndices.length - 1];
        WindowStats.Quantiles nearestRank = quantileFunction();
        return new WindowStats(count, successes, violations, sum.value(), min, max, log.duration(newestIndex),
                Micros.toInstant(log.at(oldestIndex)), Micros.toInstant(log.at(newestIndex)), recentDurations,
                nearestRank);
    }
}
