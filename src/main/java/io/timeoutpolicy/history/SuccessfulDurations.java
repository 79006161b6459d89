package io.timeoutpolicy.history;

/**
 * How many successful attempts a window holds, a quantile of their durations and the longest of them
 * (seconds; both 0 without any).
 */
public record SuccessfulDurations(long count, double quantile, double longest) {
}
