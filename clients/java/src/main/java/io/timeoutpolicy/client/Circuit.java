package io.timeoutpolicy.client;

/** The fleet circuit of an environment (SPEC 4.6): state {@code closed}, {@code open} or {@code half_open}. */
public record Circuit(String environment, String state, int consecutiveFailures, String lastFailureAt,
        Double retryAfterSeconds) {

    public static Circuit closed(String environment) {
        return new Circuit(environment, "closed", 0, null, null);
    }

    public boolean isOpen() {
        return "open".equals(state);
    }

    /** This state as it stands {@code seconds} later without news: an open circuit turns half-open once its
     * {@code retry_after_seconds} have passed (SPEC 4.6). */
    public Circuit aged(double seconds) {
        if (!isOpen() || retryAfterSeconds == null) {
            return this;
        }
        double left = retryAfterSeconds - seconds;
        if (left > 0) {
            return new Circuit(environment, state, consecutiveFailures, lastFailureAt, left);
        }
        return new Circuit(environment, "half_open", consecutiveFailures, lastFailureAt, null);
    }
}
