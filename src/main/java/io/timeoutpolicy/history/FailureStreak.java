package io.timeoutpolicy.history;

import java.time.Instant;

/**
 * The tail of a series: how many attempts failed since the last success, and when the newest failure in
 * the window occurred (null without one).
 */
public record FailureStreak(int consecutiveFailures, Instant lastFailureAt) {

    public static final FailureStreak NONE = new FailureStreak(0, null);
}
