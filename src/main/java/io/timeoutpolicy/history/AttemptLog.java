package io.timeoutpolicy.history;

import java.lang.reflect.Array;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The attempts of one series in memory, sorted by (occurred_at, seq): parallel primitive columns, 37 bytes
 * an attempt. The columns are cut into chunks of {@value #CHUNK} attempts, so that growing a series of ten
 * million attempts allocates one more chunk instead of copying every column into arrays twice the size, and
 * forgetting old attempts frees whole chunks instead of compacting. Appends are O(1); a back-dated attempt
 * is inserted in place. Not thread-safe: {@link AttemptSeries} guards it.
 */
final class AttemptLog {

    static final int SHIFT = 14;
    static final int CHUNK = 1 << SHIFT;
    private static final int MASK = CHUNK - 1;
    private static final int FIRST_CHUNK = 64;
    /** What one attempt costs in memory: at, seq, duration, timeout (8 each), flags (1), service (4). */
    static final int BYTES_PER_ATTEMPT = 8 + 8 + 8 + 8 + 1 + 4;
    private static final byte SUCCESS = 1;
    private static final byte VIOLATION = 2;
    private static final AtomicLong LOGS = new AtomicLong();

    private long[][] at = new long[0][];
    private long[][] seq = new long[0][];
    private double[][] duration = new double[0][];
    private double[][] timeout = new double[0][];
    private byte[][] flags = new byte[0][];
    private int[][] service = new int[0][];
    /** Per chunk, a number that changes whenever the chunk's attempts change: what the backtest memo keys on. */
    private long[] stamps = new long[0];
    private long lastStamp;
    /** Every log's own number: stamps count per log, so a memo of stamps tells logs apart by this, holding none. */
    private final long identity = LOGS.incrementAndGet();
    private final BacktestMemo memo = new BacktestMemo();
    private int chunks;
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

    /** Bytes held by the columns, room not yet used included. */
    long heapBytes() {
        return (long) capacity() * BYTES_PER_ATTEMPT;
    }

    long at(int i) {
        return at[i >>> SHIFT][i & MASK];
    }

    long seq(int i) {
        return seq[i >>> SHIFT][i & MASK];
    }

    double duration(int i) {
        return duration[i >>> SHIFT][i & MASK];
    }

    double timeout(int i) {
        return timeout[i >>> SHIFT][i & MASK];
    }

    boolean success(int i) {
        return (flags[i >>> SHIFT][i & MASK] & SUCCESS) != 0;
    }

    boolean violation(int i) {
        return (flags[i >>> SHIFT][i & MASK] & VIOLATION) != 0;
    }

    int service(int i) {
        return service[i >>> SHIFT][i & MASK];
    }

    /**
     * Inserts an attempt in (occurred_at, seq) order; false, and nothing changes, when the log holds it
     * already. Seq is unique, so a copy could only sit right before the insertion point: replicas and
     * catch-ups that read an attempt twice are told so at the cost of one comparison.
     */
    boolean insert(long atMicros, long seqNo, double durationSeconds, double timeoutSeconds, boolean success,
            boolean violation, int serviceId) {
        int position = size;
        if (size > head && compare(at(size - 1), seq(size - 1), atMicros, seqNo) > 0) {
            position = upperBound(atMicros, seqNo);
        }
        if (position > head && at(position - 1) == atMicros && seq(position - 1) == seqNo) {
            return false;
        }
        ensureCapacity();
        touch(position, size);
        if (position < size) {
            shiftUp(at, position);
            shiftUp(seq, position);
            shiftUp(duration, position);
            shiftUp(timeout, position);
            shiftUp(flags, position);
            shiftUp(service, position);
        }
        int c = position >>> SHIFT;
        int o = position & MASK;
        at[c][o] = atMicros;
        seq[c][o] = seqNo;
        duration[c][o] = durationSeconds;
        timeout[c][o] = timeoutSeconds;
        flags[c][o] = (byte) ((success ? SUCCESS : 0) | (violation ? VIOLATION : 0));
        service[c][o] = serviceId;
        size++;
        return true;
    }

    /** The index of the attempt at ({@code atMicros}, {@code seqNo}), or -1 when the log does not hold it. */
    int indexOf(long atMicros, long seqNo) {
        int i = upperBound(atMicros, seqNo) - 1;
        return i >= head && at(i) == atMicros && seq(i) == seqNo ? i : -1;
    }

    /**
     * Gives the attempt at index {@code i} the seq {@code newSeq}, moving it past attempts of the same instant
     * that sort before it now; false, and the attempt is removed, when the log holds (at, newSeq) already.
     */
    boolean reseq(int i, long newSeq) {
        long atMicros = at(i);
        int j = i;
        while (j + 1 < size && at(j + 1) == atMicros && seq(j + 1) < newSeq) {
            swap(j, j + 1);
            j++;
        }
        if (j + 1 < size && at(j + 1) == atMicros && seq(j + 1) == newSeq) {
            removeAt(j);
            return false;
        }
        seq[j >>> SHIFT][j & MASK] = newSeq;
        touch(j, j);
        return true;
    }

    /** Removes the attempt at index {@code i}; those after it move down by one. */
    void removeAt(int i) {
        touch(i, size - 1);
        shiftDown(at, i);
        shiftDown(seq, i);
        shiftDown(duration, i);
        shiftDown(timeout, i);
        shiftDown(flags, i);
        shiftDown(service, i);
        size--;
    }

    /** The first index whose attempt occurred at or after {@code micros}. */
    int firstAtOrAfter(long micros) {
        int lo = head;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (at(mid) < micros) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * Adds the attempts [from, to) to a backtest, a chunk at a time: a plain sum inside a chunk (16 384 values
     * lose nothing that matters) and a compensated one across chunks, so ten million attempts take one pass.
     * A whole chunk unchanged since an earlier backtest against the same limit is taken from the memo, with
     * the very figures that pass computed, so a repeated backtest reads only the chunks at the window's edges.
     */
    void backtest(int from, int to, Backtest into) {
        double[] limits = into.limits();
        int n = limits.length;
        long[] longer = new long[n];
        double[] waits = new double[n];
        BacktestMemo.Pass pass = memo.pass(limits);
        for (int start = from; start < to; ) {
            int c = start >>> SHIFT;
            int o = start & MASK;
            int stop = Math.min(to - c * CHUNK, CHUNK);
            // A whole chunk: every one but the first has CHUNK entries, the first once it has grown to them.
            boolean whole = o == 0 && stop == CHUNK && duration[c].length == CHUNK;
            long successes = -1;
            for (int k = 0; k < n; k++) {
                BacktestMemo.Figures figures;
                if (whole) {
                    figures = pass.whole(k, stamps[c], duration[c], flags[c], SUCCESS);
                } else {
                    if (successes < 0) {
                        successes = BacktestMemo.successes(flags[c], o, stop, SUCCESS);
                    }
                    figures = BacktestMemo.scan(duration[c], flags[c], o, stop, limits[k], successes, SUCCESS);
                }
                successes = figures.successes();
                longer[k] = figures.longer();
                waits[k] = figures.waited();
            }
            if (successes < 0) {
                successes = BacktestMemo.successes(flags[c], o, stop, SUCCESS);
            }
            into.addChunk(stop - o, successes, longer, waits);
            start = c * CHUNK + stop;
        }
        pass.end();
    }

    long identity() {
        return identity;
    }

    /**
     * The newest stamp of the chunks holding the entries [from, to), a non-empty range: it changes whenever one
     * of them changes, because every change stamps its chunks anew with a number no chunk had before.
     */
    long newestStamp(int from, int to) {
        long newest = 0;
        for (int c = from >>> SHIFT; c <= (to - 1) >>> SHIFT; c++) {
            newest = Math.max(newest, stamps[c]);
        }
        return newest;
    }

    /** Entries [first, last] changed: their chunks get new stamps. */
    private void touch(int first, int last) {
        for (int c = first >>> SHIFT; c <= last >>> SHIFT && c < chunks; c++) {
            stamps[c] = ++lastStamp;
        }
    }

    /** Forgets every attempt that occurred before {@code micros}; whole chunks go back to the heap. */
    void dropBefore(long micros) {
        head = firstAtOrAfter(micros);
        int spent = head >>> SHIFT;
        if (spent == 0) {
            return;
        }
        at = dropFirst(at, spent);
        seq = dropFirst(seq, spent);
        duration = dropFirst(duration, spent);
        timeout = dropFirst(timeout, spent);
        flags = dropFirst(flags, spent);
        service = dropFirst(service, spent);
        System.arraycopy(stamps, spent, stamps, 0, stamps.length - spent);
        chunks -= spent;
        head -= spent * CHUNK;
        size -= spent * CHUNK;
    }

    private int upperBound(long atMicros, long seqNo) {
        int lo = head;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (compare(at(mid), seq(mid), atMicros, seqNo) <= 0) {
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

    /** Moves the entries [from, size) of one column up by one, chunk by chunk from the end. */
    private void shiftUp(Object[] column, int from) {
        for (int c = (size - 1) >>> SHIFT; c >= from >>> SHIFT; c--) {
            int first = Math.max(from, c * CHUNK) & MASK;
            int last = Math.min(size - 1, c * CHUNK + MASK) & MASK;
            if (last == MASK) {
                System.arraycopy(column[c], MASK, column[c + 1], 0, 1);
                last--;
            }
            if (last >= first) {
                System.arraycopy(column[c], first, column[c], first + 1, last - first + 1);
            }
        }
    }

    private void swap(int a, int b) {
        touch(Math.min(a, b), Math.max(a, b));
        swap(at, a, b);
        swap(seq, a, b);
        swap(duration, a, b);
        swap(timeout, a, b);
        swap(flags, a, b);
        swap(service, a, b);
    }

    /** Swaps two entries of one column (any primitive array type) through a one-element copy. */
    private static void swap(Object[] column, int a, int b) {
        Object chunkA = column[a >>> SHIFT];
        Object chunkB = column[b >>> SHIFT];
        Object saved = Array.newInstance(chunkA.getClass().getComponentType(), 1);
        System.arraycopy(chunkA, a & MASK, saved, 0, 1);
        System.arraycopy(chunkB, b & MASK, chunkA, a & MASK, 1);
        System.arraycopy(saved, 0, chunkB, b & MASK, 1);
    }

    /** Moves the entries after {@code over} of one column down by one, over it, chunk by chunk from the front. */
    private void shiftDown(Object[] column, int over) {
        for (int c = over >>> SHIFT; c <= (size - 1) >>> SHIFT; c++) {
            int first = Math.max(over, c * CHUNK) & MASK;
            int last = Math.min(size - 1, c * CHUNK + MASK) & MASK;
            if (last > first) {
                System.arraycopy(column[c], first + 1, column[c], first, last - first);
            }
            if (last == MASK && c + 1 < chunks && (c + 1) * CHUNK < size) {
                System.arraycopy(column[c + 1], 0, column[c], MASK, 1);
            }
        }
    }

    /** A series' only chunk starts small and doubles up to a full chunk; every later chunk is full size. */
    private int capacity() {
        return chunks == 0 ? 0 : (chunks - 1) * CHUNK + at[chunks - 1].length;
    }

    private void ensureCapacity() {
        if (size < capacity()) {
            return;
        }
        if (chunks == 1 && at[0].length < CHUNK) {
            growFirstChunk(Math.min(CHUNK, at[0].length * 2));
            return;
        }
        if (chunks == at.length) {
            int outer = Math.max(4, chunks * 2);
            at = Arrays.copyOf(at, outer);
            seq = Arrays.copyOf(seq, outer);
            duration = Arrays.copyOf(duration, outer);
            timeout = Arrays.copyOf(timeout, outer);
            flags = Arrays.copyOf(flags, outer);
            service = Arrays.copyOf(service, outer);
            stamps = Arrays.copyOf(stamps, outer);
        }
        int length = chunks == 0 ? FIRST_CHUNK : CHUNK;
        at[chunks] = new long[length];
        seq[chunks] = new long[length];
        duration[chunks] = new double[length];
        timeout[chunks] = new double[length];
        flags[chunks] = new byte[length];
        service[chunks] = new int[length];
        chunks++;
    }

    private void growFirstChunk(int length) {
        at[0] = Arrays.copyOf(at[0], length);
        seq[0] = Arrays.copyOf(seq[0], length);
        duration[0] = Arrays.copyOf(duration[0], length);
        timeout[0] = Arrays.copyOf(timeout[0], length);
        flags[0] = Arrays.copyOf(flags[0], length);
        service[0] = Arrays.copyOf(service[0], length);
    }

    private static <T> T[] dropFirst(T[] column, int spent) {
        System.arraycopy(column, spent, column, 0, column.length - spent);
        Arrays.fill(column, column.length - spent, column.length, null);
        return column;
    }
}
