package io.timeoutpolicy.history;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;

/** DDSketch as this service uses it: 0.5 % relative accuracy, queried by nearest rank. */
final class Sketches {

    /** Half the 1 % the spec allows, so that the rank correction below never costs the guarantee. */
    static final double RELATIVE_ACCURACY = 0.005;

    private Sketches() {
    }

    static DDSketch empty() {
        return DDSketches.unboundedDense(RELATIVE_ACCURACY);
    }

    /**
     * The nearest-rank quantile (the value of rank ⌈q·n⌉), clamped to the exact extremes. DDSketch itself
     * answers rank q·(n−1); asking for rank r − ½ selects exactly the bin holding the r-th value.
     */
    static double nearestRank(DDSketch sketch, double quantile, double min, double max) {
        long n = (long) sketch.getCount();
        if (n == 0) {
            return 0.0;
        }
        long rank = Math.max(1, (long) Math.ceil(quantile * n - 1e-9));
        double sketchQuantile = n == 1 ? 0.0 : Math.min(1.0, (rank - 0.5) / (n - 1));
        double value = sketch.getValueAtQuantile(sketchQuantile);
        return Math.max(min, Math.min(max, value));
    }
}
