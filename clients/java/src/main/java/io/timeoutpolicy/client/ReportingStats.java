package io.timeoutpolicy.client;

/**
 * Counts since the client was made: {@code queued} and {@code sent} attempts, {@code duplicates} among them (the
 * service already had their id), {@code dropped} (queue full, or no service URL), {@code rejected} (refused by the
 * service), {@code invalid} (refused before queueing), {@code pending} (not yet answered), {@code requests} made
 * and {@code failedRequests} (to be sent again).
 */
public record ReportingStats(long queued, long sent, long duplicates, long dropped, long rejected, long invalid,
        long pending, long requests, long failedRequests) {
}
