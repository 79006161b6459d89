package io.timeoutpolicy.rollout;

import io.timeoutpolicy.policy.Operation;
import java.util.Arrays;

/**
 * What this replica scored for one candidate since its last flush: per operation, the attempts and their
 * violations against both effective timeouts; per cohort, the connection attempts, violations and failures.
 * Recording threads add, the flush drains; both under the tally's lock, so nothing is counted twice or lost.
 */
final class Tally {

    static final int OPERATIONS = Operation.values().length;

    final long[] attempts = new long[OPERATIONS];
    final long[] violationsCurrent = new long[OPERATIONS];
    final long[] violationsCandidate = new long[OPERATIONS];
    final double[] timeoutCurrent = new double[OPERATIONS];
    final double[] timeoutCandidate = new double[OPERATIONS];
    /** [canary, control] × [attempts, violations, failures]. */
    final long[][] cohorts = new long[2][3];

    static final int CANARY = 0;
    static final int CONTROL = 1;

    synchronized void add(Operation operation, double duration, double current, double candidate) {
        int o = operation.ordinal();
        attempts[o]++;
        if (duration > current) {
            violationsCurrent[o]++;
        }
        if (duration > candidate) {
            violationsCandidate[o]++;
        }
        timeoutCurrent[o] += current;
        timeoutCandidate[o] += candidate;
    }

    synchronized void addToCohort(int cohort, boolean violation, boolean failure) {
        cohorts[cohort][0]++;
        cohorts[cohort][1] += violation ? 1 : 0;
        cohorts[cohort][2] += failure ? 1 : 0;
    }

    /** Everything counted so far, moved into a new tally; this one starts again from zero. */
    synchronized Tally drain() {
        Tally drained = new Tally();
        drained.addAll(this);
        Arrays.fill(attempts, 0);
        Arrays.fill(violationsCurrent, 0);
        Arrays.fill(violationsCandidate, 0);
        Arrays.fill(timeoutCurrent, 0);
        Arrays.fill(timeoutCandidate, 0);
        for (long[] cohort : cohorts) {
            Arrays.fill(cohort, 0);
        }
        return drained;
    }

    /** Puts back what a failed flush could not write. */
    synchronized void addAll(Tally other) {
        for (int o = 0; o < OPERATIONS; o++) {
            attempts[o] += other.attempts[o];
            violationsCurrent[o] += other.violationsCurrent[o];
            violationsCandidate[o] += other.violationsCandidate[o];
            timeoutCurrent[o] += other.timeoutCurrent[o];
            timeoutCandidate[o] += other.timeoutCandidate[o];
        }
        for (int c = 0; c < 2; c++) {
            for (int k = 0; k < 3; k++) {
                cohorts[c][k] += other.cohorts[c][k];
            }
        }
    }

    boolean isEmpty() {
        return Arrays.stream(attempts).sum() == 0 && cohorts[CANARY][0] == 0 && cohorts[CONTROL][0] == 0;
    }

    boolean hasCohorts() {
        return cohorts[CANARY][0] + cohorts[CONTROL][0] > 0;
    }
}
