package io.timeoutpolicy.history;

/** A compensated (Neumaier) sum: adding a million durations loses no more than one rounding. */
final class Sum {

    private double sum;
    private double compensation;

    void add(double value) {
        double t = sum + value;
        if (Math.abs(sum) >= Math.abs(value)) {
            compensation += (sum - t) + value;
        } else {
            compensation += (value - t) + sum;
        }
        sum = t;
    }

    void add(Sum other) {
        add(other.sum);
        add(other.compensation);
    }

    void set(Sum other) {
        sum = other.sum;
        compensation = other.compensation;
    }

    double value() {
        return sum + compensation;
    }
}
