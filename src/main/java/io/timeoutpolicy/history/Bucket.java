package io.timeoutpolicy.history;

import com.datadoghq.sketch.ddsketch.DDSketch;

/** The attempts of one minute of one series: exact aggregates and two sketches (all, successful). */
final class Bucket {

    long count;
    long successes;
    long violations;
    final Sum sum = new Sum();
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    /** The longest successful attempt: recommendations never propose less (SPEC 10.1). */
    double maxSuccess = Double.NEGATIVE_INFINITY;
    final DDSketch durations = Sketches.empty();
    final DDSketch successfulDurations = Sketches.empty();

    void add(double duration, boolean success, boolean violation) {
        count++;
        if (success) {
            successes++;
            successfulDurations.accept(duration);
            maxSuccess = Math.max(maxSuccess, duration);
        }
        if (violation) {
            violations++;
        }
        sum.add(duration);
        min = Math.min(min, duration);
        max = Math.max(max, duration);
        durations.accept(duration);
    }
}
