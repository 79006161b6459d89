package io.timeoutpolicy.history;

/**
 * What the heuristic of SPEC 4.2 needs to know about an environment's {@code connection} attempts in
 * its window: their number, mean duration, the mean of the recent 10, and the success and timeout
 * violation rates in percent.
 */
public record ConnectionHistory(long samples, double averageDuration, double recentAverage, double successRate,
        double violationRate) {

    public static final ConnectionHistory EMPTY = new ConnectionHistory(0, 0.0, 0.0, 0.0, 0.0);
}
