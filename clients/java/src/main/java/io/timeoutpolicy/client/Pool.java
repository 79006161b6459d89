package io.timeoutpolicy.client;

/** Pool advice (SPEC 3); {@code poolTimeout} in seconds, {@code poolRecycle} in seconds. */
public record Pool(int poolSize, int maxOverflow, double poolTimeout, int poolRecycle, boolean poolPrePing) {
}
