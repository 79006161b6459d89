package io.timeoutpolicy.history;

import com.datadoghq.sketch.ddsketch.DDSketch;
import java.util.TreeMap;

/**
 * One series' per-minute buckets, with the merge of the settled ones (all but the newest minute, where new
 * attempts land) cached: a steady stream of writes costs each query one or two live buckets, not a new
 * merge, while a back-dated write, expiry or a new minute renews the cache. Guarded by its series' lock.
 */
final class MinuteBuckets {

    static final long BUCKET_MICROS = 60_000_000L;

    private final TreeMap<Long, Bucket> buckets = new TreeMap<>();
    /**
     * The newest bucket and its minute, where almost every attempt lands (a catch-up reads in time order, live
     * attempts arrive in it): adding there takes no tree lookup and boxes no key. Null after any other change
     * to the map, until the next add looks it up again.
     */
    private Bucket newest;
    private long newestMinute;
    /** Changes whenever a settled bucket (not the newest) changes. */
    private long settledVersion;
    private Merged settled;
    /**
     * The last window merged: the settled minutes and the newest bucket as it was then. Every answer of the
     * timeouts asks for it, and merging even one bucket afresh made it 3 % of a GET timeouts over ten million
     * attempts; it holds until the settled merge is renewed or the newest bucket takes another attempt.
     */
    private Merged window;
    private Bucket windowBucket;
    private long windowBucketCount;

    /** Buckets [from, to) merged: exact aggregates, sketches only once someone asks for quantiles. */
    static final class Merged {
        final long version;
        final long from;
        final long to;
        final Summary summary = new Summary(false);
        DDSketch durations;
        DDSketch successfulDurations;
        /** For a window's merge, the merge of settled minutes it took in. */
        Merged basis;

        private Merged(long version, long from, long to) {
            this.version = version;
            this.from = from;
            this.to = to;
        }
    }

    static long minuteOf(long atMicros) {
        return Math.floorDiv(atMicros, BUCKET_MICROS);
    }

    /** The first minute that starts at or after {@code micros}. */
    static long firstFullMinute(long micros) {
        return Math.floorDiv(micros + BUCKET_MICROS - 1, BUCKET_MICROS);
    }

    void add(long atMicros, double duration, boolean success, boolean violation) {
        long minute = minuteOf(atMicros);
        if (newest != null && minute == newestMinute) {
            newest.add(duration, success, violation);
            return;
        }
        boolean settledChanges = !buckets.isEmpty() && minute < buckets.lastKey();
        if (settledChanges) {
            settledVersion++;
        }
        Bucket bucket = buckets.computeIfAbsent(minute, m -> new Bucket());
        bucket.add(duration, success, violation);
        if (!settledChanges) {
            newest = bucket;
            newestMinute = minute;
        }
    }

    /** A minute's bucket made again from the attempts {@code log} holds, after some left it. */
    void sumAgain(long minute, AttemptLog log, long expiredBefore) {
        settledVersion++;
        newest = null;
        if (minute * BUCKET_MICROS < expiredBefore) {
            buckets.remove(minute);
            return;
        }
        Bucket bucket = new Bucket();
        int end = log.firstAtOrAfter((minute + 1) * BUCKET_MICROS);
        for (int i = log.firstAtOrAfter(minute * BUCKET_MICROS); i < end; i++) {
            bucket.add(log.duration(i), log.success(i), log.violation(i));
        }
        if (bucket.count == 0) {
            buckets.remove(minute);
        } else {
            buckets.put(minute, bucket);
        }
    }

    void expireBefore(long micros) {
        // A bucket that starts before the cut-off is never wholly inside a window any more.
        newest = null;
        buckets.headMap(minuteOf(micros) + 1, false).entrySet().removeIf(e -> e.getKey() * BUCKET_MICROS < micros);
        settledVersion++;
    }

    /** Another series' buckets were adopted into this one's place: nothing cached still holds. */
    void renewed() {
        settled = null;
        settledVersion++;
    }

    /**
     * The full minutes from {@code firstFull} (inclusive) to {@code endFull} (exclusive), merged: the caller reads
     * it and never changes it, since a window's merge is handed to the next caller too.
     */
    Merged full(long firstFull, long endFull, boolean withQuantiles) {
        if (endFull != Long.MAX_VALUE) {
            return withSketches(merge(firstFull, endFull), withQuantiles);
        }
        // A window: the settled minutes come from the cache, the newest one is merged live.
        long newest = buckets.isEmpty() ? firstFull : Math.max(firstFull, buckets.lastKey());
        if (settled == null || settled.version != settledVersion || settled.from != firstFull
                || settled.to != newest) {
            settled = merge(firstFull, newest);
        }
        Bucket last = buckets.isEmpty() ? null : buckets.lastEntry().getValue();
        long lastCount = last == null ? 0 : last.count;
        if (window == null || window.basis != settled || window.from != newest || windowBucket != last
                || windowBucketCount != lastCount) {
            window = merge(newest, Long.MAX_VALUE);
            window.summary.addSummary(settled.summary, null);
            window.basis = settled;
            windowBucket = last;
            windowBucketCount = lastCount;
        }
        if (withQuantiles && window.durations == null) {
            withSketches(settled, true);
            withSketches(window, true);
            window.durations.mergeWith(settled.durations);
            window.successfulDurations.mergeWith(settled.successfulDurations);
        }
        return window;
    }

    private Merged withSketches(Merged merged, boolean withQuantiles) {
        if (withQuantiles && merged.durations == null) {
            merged.durations = Sketches.empty();
            merged.successfulDurations = Sketches.empty();
            for (Bucket bucket : buckets.subMap(merged.from, true, merged.to, false).values()) {
                merged.durations.mergeWith(bucket.durations);
                merged.successfulDurations.mergeWith(bucket.successfulDurations);
            }
        }
        return merged;
    }

    private Merged merge(long from, long to) {
        Merged merged = new Merged(settledVersion, from, to);
        for (Bucket bucket : buckets.subMap(from, true, to, false).values()) {
            merged.summary.addBucket(bucket);
        }
        return merged;
    }
}
