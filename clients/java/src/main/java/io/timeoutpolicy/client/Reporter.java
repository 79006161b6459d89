package io.timeoutpolicy.client;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Attempts reported in the background: a bounded queue, one daemon thread, batches of up to 1 000 (SPEC 5), at
 * most {@code maxPerSecond} attempts sent a second (SPEC 9.1: a burst of one second, then paced; a flush at exit
 * is not paced). Nothing here blocks or throws into the caller: a full queue drops its OLDEST attempt and counts
 * it (the newest say more about the database now). A batch the
 * service could not take (no answer, 408, 429, 5xx) is sent again later with the same ids, which the service
 * counts once; a batch it refuses (400, 413, 422) is split in halves until the refused attempt is alone.
 */
final class Reporter {

    static final int MAX_BATCH = 1000;
    private static final Logger LOG = Logger.getLogger("io.timeoutpolicy.client");

    /** Sends one batch within {@code timeout}; answers status and duplicates, or throws when no answer came. */
    interface Sender {
        Sent send(List<Map<String, Object>> batch, Duration timeout) throws BudgetedHttp.NoAnswer;
    }

    record Sent(int status, int duplicates, Duration retryAfter) {
    }

    private final Sender sender;
    private final BlockingQueue<Map<String, Object>> queue;
    private final Duration linger;
    private final Duration requestTimeout;
    private final int maxPerSecond;
    private double tokens; // reporter thread only: attempts that may be sent now
    private long tokensAt = System.nanoTime();
    private final Object lock = new Object();
    private final Thread thread;
    private long queued, sent, duplicates, dropped, rejected, invalid, done, requests, failedRequests;
    private volatile long hurryUntilNanos; // 0 unless a flush waits: then pauses are short
    private volatile boolean closed;

    Reporter(Sender sender, int queueSize, Duration linger, Duration requestTimeout) {
        this(sender, queueSize, linger, requestTimeout, Integer.MAX_VALUE);
    }

    Reporter(Sender sender, int queueSize, Duration linger, Duration requestTimeout, int maxPerSecond) {
        if (maxPerSecond < 1) {
            throw new IllegalArgumentException("at least one report a second, got " + maxPerSecond);
        }
        this.maxPerSecond = maxPerSecond;
        this.tokens = Math.min(maxPerSecond, MAX_BATCH);
        this.sender = sender;
        this.queue = new ArrayBlockingQueue<>(queueSize);
        this.linger = linger;
        this.requestTimeout = requestTimeout;
        this.thread = new Thread(this::run, "timeout-policy-reporter");
        thread.setDaemon(true);
        thread.start();
    }

    boolean submit(Map<String, Object> attempt) {
        if (closed) {
            count(() -> dropped++);
            return false;
        }
        count(() -> queued++);
        while (!queue.offer(attempt)) {
            if (queue.poll() != null) { // the oldest goes: counted as dropped, and as answered for flush()
                settle(1, () -> dropped++);
            }
        }
        return true;
    }

    void countInvalid() {
        count(() -> invalid++);
    }

    void countDropped() {
        count(() -> dropped++);
    }

    /** Waits up to {@code timeout} for every attempt queued so far to be answered; true if they were. */
    boolean flush(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            long target = queued;
            hurryUntilNanos = deadline;
            lock.notifyAll();
            try {
                while (done < target) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                hurryUntilNanos = 0;
            }
            return done >= target;
        }
    }

    /** Flushes within {@code budget}, then stops the thread; attempts still pending are lost (and logged). */
    void close(Duration budget) {
        boolean flushed = flush(budget);
        closed = true;
        thread.interrupt();
        if (!flushed) {
            LOG.warning(() -> "timeout-policy: " + stats().pending() + " attempt(s) not reported at close");
        }
    }

    ReportingStats stats() {
        synchronized (lock) {
            return new ReportingStats(queued, sent, duplicates, dropped, rejected, invalid, queued - done, requests,
                    failedRequests);
        }
    }

    private void run() {
        while (!closed) {
            try {
                List<Map<String, Object>> batch = nextBatch();
                if (batch != null) {
                    deliver(batch);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) { // a bug here must not end reporting for the process
                LOG.log(Level.WARNING, "timeout-policy: reporting failed", e);
            }
        }
    }

    private List<Map<String, Object>> nextBatch() throws InterruptedException {
        Map<String, Object> first = queue.poll(1, TimeUnit.SECONDS);
        if (first == null) {
            return null;
        }
        // Start-up code reports a few operations in a row: wait a moment to send them together.
        if (hurryUntilNanos == 0 && !linger.isZero()) {
            synchronized (lock) {
                lock.wait(Math.max(1, linger.toMillis()));
            }
        }
        List<Map<String, Object>> batch = new ArrayList<>();
        batch.add(first);
        queue.drainTo(batch, permitted(1 + queue.size()) - 1);
        return batch;
    }

    /** How many of {@code wanted} attempts may go now under the rate cap; waits for at least one. */
    private int permitted(int wanted) throws InterruptedException {
        int batch = Math.min(wanted, MAX_BATCH);
        if (maxPerSecond == Integer.MAX_VALUE) {
            return batch;
        }
        int enough = Math.min(batch, maxPerSecond); // wait for a full batch rather than send dribbles
        while (true) {
            long now = System.nanoTime();
            tokens = Math.min(maxPerSecond, tokens + (now - tokensAt) / 1e9 * maxPerSecond);
            tokensAt = now;
            if (hurryUntilNanos != 0) { // flushing (at exit): no pacing
                return batch;
            }
            if (tokens >= enough) {
                int granted = (int) Math.min(batch, Math.floor(tokens));
                tokens -= granted;
                return granted;
            }
            long waitNanos = (long) ((enough - tokens) / maxPerSecond * 1e9);
            synchronized (lock) {
                TimeUnit.NANOSECONDS.timedWait(lock, Math.max(1_000_000L, waitNanos));
            }
        }
    }

    private void deliver(List<Map<String, Object>> batch) throws InterruptedException {
        Deque<List<Map<String, Object>>> todo = new ArrayDeque<>();
        todo.add(batch);
        int failures = 0;
        while (!todo.isEmpty()) {
            List<Map<String, Object>> current = todo.pollFirst();
            Sent answer = post(current);
            if (answer == null || answer.status() == 408 || answer.status() == 429 || answer.status() >= 500) {
                todo.addFirst(current);
                failures++;
                pause(Backoff.REPORTING.pause(failures, answer == null ? null : answer.retryAfter()));
            } else if (answer.status() >= 200 && answer.status() < 300) {
                failures = 0;
                settle(current.size(), () -> {
                    sent += current.size();
                    duplicates += answer.duplicates();
                });
            } else if ((answer.status() == 400 || answer.status() == 413 || answer.status() == 422)
                    && current.size() > 1) {
                int half = current.size() / 2;
                todo.addFirst(current.subList(half, current.size()));
                todo.addFirst(current.subList(0, half));
            } else {
                settle(current.size(), () -> rejected += current.size());
                LOG.warning(() -> "timeout-policy: " + current.size() + " attempt(s) refused with " + answer.status());
            }
        }
    }

    private Sent post(List<Map<String, Object>> batch) {
        Duration timeout = requestTimeout;
        long hurry = hurryUntilNanos;
        if (hurry != 0) {
            timeout = Duration.ofNanos(Math.max(50_000_000L, Math.min(timeout.toNanos(), hurry - System.nanoTime())));
        }
        count(() -> requests++);
        try {
            return sender.send(batch, timeout);
        } catch (BudgetedHttp.NoAnswer e) {
            count(() -> failedRequests++);
            return null;
        }
    }

    private void pause(Duration pause) throws InterruptedException {
        long millis = hurryUntilNanos != 0 ? Math.min(100, pause.toMillis()) : pause.toMillis();
        Thread.sleep(Math.max(1, millis));
    }

    private void settle(int answered, Runnable counts) {
        synchronized (lock) {
            done += answered;
            counts.run();
            lock.notifyAll();
        }
    }

    private void count(Runnable change) {
        synchronized (lock) {
            change.run();
        }
    }
}
