package io.timeoutpolicy.client;

/**
 * What this library throws, only where a caller must be told that no answer exists: {@link UnknownEnvironment}
 * and {@link DecisionUnavailable}.
 */
public class TimeoutPolicyException extends RuntimeException {

    TimeoutPolicyException(String message) {
        super(message);
    }

    /** The service has no policy for this name (a typo?), or, with the service unreachable, neither the cache
     * nor SPEC 3 knows it and no fallback was given. */
    public static final class UnknownEnvironment extends TimeoutPolicyException {
        UnknownEnvironment(String message) {
            super(message);
        }
    }

    /** No bypass decision could be obtained; {@code status} is the HTTP status when there was one, else 0. */
    public static final class DecisionUnavailable extends TimeoutPolicyException {
        private final int status;

        DecisionUnavailable(String message, int status) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }
}
