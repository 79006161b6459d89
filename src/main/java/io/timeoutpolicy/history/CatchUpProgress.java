package io.timeoutpolicy.history;

import io.quarkus.logging.Log;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** How far a catch-up has come: pages and attempts read, logged every interval and exposed as gauges. */
final class CatchUpProgress {

    private final Duration logInterval;
    private final AtomicLong pages = new AtomicLong();
    private final AtomicLong attempts = new AtomicLong();
    private volatile boolean running;
    private volatile long startedNanos;
    private volatile long lastLogNanos;

    CatchUpProgress(Duration logInterval) {
        this.logInterval = logInterval;
    }

    void start() {
        pages.set(0);
        attempts.set(0);
        startedNanos = System.nanoTime();
        lastLogNanos = startedNanos;
        running = true;
    }

    void page(int attemptsRead) {
        pages.incrementAndGet();
        attempts.addAndGet(attemptsRead);
        long now = System.nanoTime();
        if (now - lastLogNanos >= logInterval.toNanos()) {
            lastLogNanos = now;
            Log.infof("History catch-up: %d attempts in %d pages so far, %.0f attempts/s", attempts.get(),
                    pages.get(), perSecond());
        }
    }

    void finish(int series) {
        running = false;
        Log.infof("History caught up: %d attempts of %d series in %d pages, %.1f s, %.0f attempts/s",
                attempts.get(), series, pages.get(), seconds(), perSecond());
    }

    boolean isRunning() {
        return running;
    }

    long attempts() {
        return attempts.get();
    }

    long pages() {
        return pages.get();
    }

    double perSecond() {
        double seconds = seconds();
        return seconds > 0 ? attempts.get() / seconds : 0;
    }

    private double seconds() {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
