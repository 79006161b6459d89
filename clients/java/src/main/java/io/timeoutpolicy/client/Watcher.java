package io.timeoutpolicy.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The background watch of ONE environment (SPEC 10.4): a daemon thread long-polls {@code startup-config} with
 * {@code If-None-Match} and {@code Prefer: wait}, and hands every configuration whose policy version differs from
 * the last one to the listeners. Failures are retried after a jittered exponential pause; after
 * {@code failuresBeforePolling} in a row it polls every {@code pollInterval} instead, and tries a watch again every
 * {@code resumeAfterPolls} polls. It never throws into the application and stops on {@link #close()}.
 */
final class Watcher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger("io.timeoutpolicy.client");
    /** A "held" answer quicker than this, unchanged, means the server did not hold it: counted as a failure. */
    static final Duration NOT_HELD = Duration.ofMillis(500);

    /** One exchange: the configuration served now (wait zero: at once), or null when it is still {@code known}. */
    interface Exchange {
        StartupConfig ask(String environment, Integer known, Duration wait) throws BudgetedHttp.NoAnswer;
    }

    /** How a watch behaves; {@link #DEFAULT} is what SPEC 10.4 asks. */
    record Settings(Duration holdFor, Backoff backoff, int failuresBeforePolling, Duration pollInterval,
            int resumeAfterPolls) {
        static final Settings DEFAULT = new Settings(Duration.ofSeconds(60),
                new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30)), 5, Duration.ofMinutes(1), 5);
    }

    private final String environment;
    private final Exchange exchange;
    private final Settings settings;
    private final List<Consumer<StartupConfig>> listeners = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private final Object sleeper = new Object();
    private volatile boolean running = true;
    private volatile Integer known;
    private final AtomicLong watches = new AtomicLong();
    private final AtomicLong polls = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile boolean polling;
    /** Guarded by this watcher: started once, by the first listener. */
    boolean started;

    Watcher(String environment, Integer known, Exchange exchange, Settings settings) {
        this.environment = environment;
        this.known = known;
        this.exchange = exchange;
        this.settings = settings;
        this.thread = new Thread(this::run, "timeout-policy-watch-" + environment);
        this.thread.setDaemon(true);
    }

    Watcher start() {
        thread.start();
        return this;
    }

    void add(Consumer<StartupConfig> listener) {
        listeners.add(listener);
    }

    void remove(Consumer<StartupConfig> listener) {
        listeners.remove(listener);
    }

    /** What the watch did so far (for the application's health page and the tests). */
    WatchStats stats() {
        return new WatchStats(environment, known, polling, watches.get(), polls.get(), failures.get());
    }

    private void run() {
        int inARow = 0;
        int pollsSinceWatch = 0;
        while (running) {
            boolean watch = inARow < settings.failuresBeforePolling() || pollsSinceWatch >= settings.resumeAfterPolls();
            long started = System.nanoTime();
            try {
                Integer before = known;
                StartupConfig changed = exchange.ask(environment, before, watch ? settings.holdFor() : Duration.ZERO);
                if (watch) {
                    watches.incrementAndGet();
                    boolean unchanged = changed == null || java.util.Objects.equals(before, changed.policyVersion());
                    if (unchanged && before != null && !settings.holdFor().isZero()
                            && System.nanoTime() - started < NOT_HELD.toNanos() && running) {
                        throw new BudgetedHttp.NoAnswer("the watch was not held (" + settings.holdFor().toSeconds()
                                + " s asked)");
                    }
                    if (inARow >= settings.failuresBeforePolling()) {
                        LOG.info(() -> "timeout-policy: watching " + environment + " again");
                    }
                    inARow = 0;
                    pollsSinceWatch = 0;
                    polling = false;
                } else {
                    polls.incrementAndGet();
                    pollsSinceWatch++;
                }
                if (changed != null) {
                    deliver(before, changed);
                }
                if (!watch) {
                    pause(settings.pollInterval());
                }
            } catch (BudgetedHttp.NoAnswer | RuntimeException e) {
                if (!running) {
                    return;
                }
                failures.incrementAndGet();
                if (!watch) {
                    polls.incrementAndGet();
                    pollsSinceWatch++;
                    pause(settings.pollInterval());
                    continue;
                }
                inARow++;
                int failed = inARow;
                if (failed < settings.failuresBeforePolling()) {
                    LOG.fine(() -> "timeout-policy: watch of " + environment + " failed (" + e.getMessage() + ")");
                    pause(jittered(settings.backoff().pause(failed, null)));
                } else {
                    if (!polling) {
                        LOG.warning(() -> "timeout-policy: watch of " + environment + " failed " + failed
                                + " times in a row (" + e.getMessage() + "): polling every "
                                + settings.pollInterval().toMillis() / 1000.0 + " s instead");
                    }
                    polling = true;
                    pollsSinceWatch = 0;
                    pause(settings.pollInterval());
                }
            }
        }
    }

    private void deliver(Integer before, StartupConfig changed) {
        known = changed.policyVersion();
        if (java.util.Objects.equals(before, changed.policyVersion())) {
            return;
        }
        LOG.info(() -> "timeout-policy: " + environment + " is served policy_version " + changed.policyVersion()
                + " now (was " + before + ")");
        for (Consumer<StartupConfig> listener : listeners) {
            try {
                listener.accept(changed);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "timeout-policy: a listener of " + environment + " failed", e);
            }
        }
    }

    /** Between half and all of {@code pause}: watchers of a fleet that lost the service do not return together. */
    static Duration jittered(Duration pause) {
        long millis = pause.toMillis();
        return Duration.ofMillis(millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1));
    }

    private void pause(Duration pause) {
        long until = System.nanoTime() + pause.toNanos();
        synchronized (sleeper) {
            long left;
            while (running && (left = until - System.nanoTime()) > 0) {
                try {
                    sleeper.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        synchronized (sleeper) {
            sleeper.notifyAll();
        }
        thread.interrupt(); // ends a held request at once (the exchange is cancelled)
    }
}
