package io.timeoutpolicy.history;

import java.util.Arrays;

/**
 * The attempts of one series in memory, sorted by (occurred_at, seq): parallel primitive arrays, about
 * 40 bytes an attempt. Appends are O(1); a back-dated attempt is inserted in place. Not thread-safe:
 * {@link AttemptSeries} guards it.
 */
final class AttemptLog {

    private static final byte SUCCESS = 1;
    private static final byte VIOLATION = 2;

    private long[] at = new long[64];
    private long[] seq = new long[64];
    private double[] duration = new double[64];
    private double[] timeout = new double[64];
    private byte[] flags = new byte[64];
    private int[] service = new int[64];
    private int head;
    private int size;

    int head() {
        return head;
    }

    int end() {
        return size;
    }

    int length() {
        return size - head;
    }

    long at(int i) {
        return at[i];
    }

    double duration(int i) {
        return duration[i];
    }

    double timeout(int i) {
        return timeout[i];
    }

    boolean success(int i) {
        return (flags[i] & SUCCESS) != 0;
    }

    boolean violation(int i) {
        return (flags[i] & VIOLATION) != 0;
    }

    int service(int i) {
        return service[i];
    }

    /** Inserts an attempt after every one that sorts before or equal to it. */
    void insert(long atMicros, long seqNo, double durationSeconds, double timeoutSeconds, boolean success,
            boolean violation, int serviceId) {
        ensureCapacity();
        int position = size;
        if (size > head && compare(at[size - 1], seq[size - 1], atMicros, seqNo) > 0) {
            position = upperBound(atMicros, seqNo);
            int moved = size - position;
            System.arraycopy(at, position, at, position + 1, moved);
            System.arraycopy(seq, position, seq, position + 1, moved);
            System.arraycopy(duration, position, duration, position + 1, moved);
            System.arraycopy(timeout, position, timeout, position + 1, moved);
            System.arraycopy(flags, position, flags, position + 1, moved);
            System.arraycopy(service, position, service, position + 1, moved);
        }
        at[position] = atMicros;
        seq[position] = seqNo;
        duration[position] = durationSeconds;
        timeout[position] = timeoutSeconds;
        flags[position] = (byte) ((success ? SUCCESS : 0) | (violation ? VIOLATION : 0));
        service[position] = serviceId;
        size++;
    }

    /** The first index whose attempt occurred at or after {@code micros}. */
    int firstAtOrAfter(long micros) {
        int lo = head;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (at[mid] < micros) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Forgets every attempt that occurred before {@code micros}. */
    void dropBefore(long micros) {
        head = firstAtOrAfter(micros);
        if (head > 1024 && head > size / 2) {
            compact();
        }
    }

    private int upperBound(long atMicros, long seqNo) {
        int lo = head;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (compare(at[mid], seq[mid], atMicros, seqNo) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static int compare(long at1, long seq1, long at2, long seq2) {
        int byTime = Long.compare(at1, at2);
        return byTime != 0 ? byTime : Long.compare(seq1, seq2);
    }

    private void ensureCapacity() {
        if (size < at.length) {
            return;
        }
        if (head > 0) {
            compact();
            if (size < at.length) {
                return;
            }
        }
        int capacity = at.length * 2;
        at = Arrays.copyOf(at, capacity);
        seq = Arrays.copyOf(seq, capacity);
        duration = Arrays.copyOf(duration, capacity);
        timeout = Arrays.copyOf(timeout, capacity);
        flags = Arrays.copyOf(flags, capacity);
        service = Arrays.copyOf(service, capacity);
    }

    private void compact() {
        int live = size - head;
        System.arraycopy(at, head, at, 0, live);
        System.arraycopy(seq, head, seq, 0, live);
        System.arraycopy(duration, head, duration, 0, live);
        System.arraycopy(timeout, head, timeout, 0, live);
        System.arraycopy(flags, head, flags, 0, live);
        System.arraycopy(service, head, service, 0, live);
        head = 0;
        size = live;
    }
}
