package io.timeoutpolicy.client;

/**
 * How one timeout was computed (SPEC 4.2), as the service explains it: the branch ({@code static},
 * {@code insufficient_data}, {@code heuristic} or {@code percentile}), every factor, and {@code text}, the
 * calculation in words, which is what a backend should log beside the timeout it uses.
 */
public record Explanation(String branch, double base, double multiplier, double scalingBuffer, double capacityBuffer,
        double pressureFactor, int samples, String text) {
}
