package io.timeoutpolicy.history;

/** How many successful attempts a window holds, and a quantile of their durations (seconds). */
public record SuccessfulDurations(long count, double quantile) {
}
