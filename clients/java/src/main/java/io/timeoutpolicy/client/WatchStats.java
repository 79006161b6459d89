package io.timeoutpolicy.client;

/**
 * What the background watch of one environment did so far (SPEC 10.4): the policy version it knows, whether it
 * fell back to polling, and how many watches, polls and failures it counted.
 */
public record WatchStats(String environment, Integer knownVersion, boolean polling, long watches, long polls,
        long failures) {
}
