package io.timeoutpolicy.instances;

import java.time.Instant;

/**
 * What this replica learnt about one instance since its last flush: when it was last seen, the version last served
 * to it and the version it last reported (each with when; null when not learnt).
 */
record Sighting(String environment, String instance, String service, Instant lastSeen, Integer servedVersion,
        Instant servedAt, Integer reportedVersion, Instant reportedAt) {

    /** Both facts, the newer of each kept. */
    Sighting merge(Sighting newer) {
        boolean servedNewer = newer.servedAt != null && (servedAt == null || newer.servedAt.isAfter(servedAt));
        boolean reportedNewer = newer.reportedAt != null
                && (reportedAt == null || newer.reportedAt.isAfter(reportedAt));
        return new Sighting(environment, instance, newer.service != null ? newer.service : service,
                newer.lastSeen.isAfter(lastSeen) ? newer.lastSeen : lastSeen,
                servedNewer ? newer.servedVersion : servedVersion, servedNewer ? newer.servedAt : servedAt,
                reportedNewer ? newer.reportedVersion : reportedVersion, reportedNewer ? newer.reportedAt : reportedAt);
    }
}
