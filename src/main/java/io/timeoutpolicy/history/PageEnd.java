package io.timeoutpolicy.history;

/**
 * Where a keyset page of a series ended: the (occurred_at, seq) of its last attempt, from which the next
 * page starts, and how many attempts it held.
 */
public record PageEnd(long atMicros, long seq, int count) {

    /** Before the first attempt that occurred after {@code micros}. */
    static PageEnd after(long micros) {
        return new PageEnd(micros, Long.MAX_VALUE, 0);
    }

    /** Follows a page as its rows are decoded. */
    static final class Builder {
        private long atMicros;
        private long seq;
        private int count;

        Builder(PageEnd start) {
            this.atMicros = start.atMicros();
            this.seq = start.seq();
        }

        void add(long seqNo, long at, double duration, double timeout, boolean success, boolean violation,
                String service, AttemptRepository.AttemptColumns sink) {
            sink.accept(at, seqNo, duration, timeout, success, violation, service);
            atMicros = at;
            seq = seqNo;
            count++;
        }

        PageEnd build() {
            return new PageEnd(atMicros, seq, count);
        }
    }
}
