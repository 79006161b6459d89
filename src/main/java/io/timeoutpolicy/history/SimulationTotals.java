package io.timeoutpolicy.history;

/** What a candidate timeout would have done to the recorded attempts of one operation in a window. */
public final class SimulationTotals {

    private long attempts;
    private long successes;
    private long wouldTimeOut;
    private long falseTimeouts;
    private final Sum totalWait = new Sum();
    private final Sum currentTotalWait = new Sum();

    void add(double duration, double timeoutInForce, boolean success, double candidate) {
        attempts++;
        if (success) {
            successes++;
        }
        if (duration > candidate) {
            wouldTimeOut++;
            if (success) {
                falseTimeouts++;
            }
        }
        // A client waits for the operation or the timeout, whichever ends first.
        totalWait.add(Math.min(duration, candidate));
        currentTotalWait.add(Math.min(duration, timeoutInForce));
    }

    public long attempts() {
        return attempts;
    }

    public long wouldTimeOut() {
        return wouldTimeOut;
    }

    /** The share of successful attempts the candidate would have cut off (0 to 1; 0 without successes). */
    public double falseTimeoutRate() {
        return successes == 0 ? 0.0 : (double) falseTimeouts / successes;
    }

    public double totalWaitSeconds() {
        return totalWait.value();
    }

    public double currentTotalWaitSeconds() {
        return currentTotalWait.value();
    }
}
