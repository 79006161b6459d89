package io.timeoutpolicy.alerts.delivery;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The deliveries waiting for one receiver, posted one at a time in order. A failed POST stays first and is
 * made again after a backoff, until it succeeds or is {@code give-up-after} old (at least once in between);
 * a newer version of a waiting alert (a repeat) takes its place, and a full queue drops its oldest. Callers
 * never wait: {@link #offer} only queues.
 */
final class ReceiverQueue {

    private final Receiver receiver;
    private final DeliverySettings settings;
    private final Sender post;
    private final DeliveryCounters counters;
    private final Vertx vertx;
    private final Backoff backoff;
    private final ArrayDeque<Outgoing> waiting = new ArrayDeque<>();
    /** A POST made or a retry's backoff running: the next waits for it. */
    private boolean posting;
    private Outgoing inFlight;

    /** Posts one delivery; {@link ReceiverPost} over HTTP. */
    interface Sender {
        Uni<Void> send(Outgoing outgoing);

        default void close() {
        }
    }

    ReceiverQueue(Receiver receiver, DeliverySettings settings, Sender post, DeliveryCounters counters,
            Vertx vertx) {
        this.receiver = receiver;
        this.settings = settings;
        this.post = post;
        this.counters = counters;
        this.vertx = vertx;
        this.backoff = new Backoff(settings.initialBackoff(), settings.maxBackoff());
    }

    synchronized void offer(Outgoing outgoing) {
        boolean replaced = waiting.removeIf(w -> w.alertId().equals(outgoing.alertId()));
        if (!replaced && waiting.size() >= settings.queueCapacity()) {
            Outgoing oldest = waiting.pollFirst();
            counters.dropped();
            Log.warnf("Alert %s dropped for receiver %s: its queue holds %d", oldest.alertId(), receiver.name(),
                    settings.queueCapacity());
        }
        waiting.addLast(outgoing);
        if (!posting) {
            postNext();
        }
    }

    synchronized int depth() {
        return waiting.size() + (inFlight != null ? 1 : 0);
    }

    synchronized boolean isIdle() {
        return waiting.isEmpty() && !posting;
    }

    void close() {
        post.close();
    }

    private void postNext() {
        Outgoing next = waiting.pollFirst();
        posting = next != null;
        inFlight = next;
        if (next != null) {
            post.send(next).subscribe().with(ignored -> delivered(), failure -> failed(next, failure));
        }
    }

    private synchronized void delivered() {
        counters.delivered();
        postNext();
    }

    private synchronized void failed(Outgoing outgoing, Throwable failure) {
        inFlight = null;
        Outgoing again = outgoing.failedOnce();
        if (Duration.ofNanos(System.nanoTime() - again.queuedAt()).compareTo(settings.giveUpAfter()) >= 0) {
            counters.failed();
            Log.warnf("Alert %s not delivered to %s after %d attempts: %s", again.alertId(), receiver.name(),
                    again.failures(), failure.toString());
            postNext();
            return;
        }
        counters.retried();
        Log.debugf("Alert %s to %s failed (%s); retrying", again.alertId(), receiver.name(), failure.toString());
        if (waiting.stream().noneMatch(w -> w.alertId().equals(again.alertId()))) {
            waiting.addFirst(again);
        }
        long wait = backoff.after(again.failures(), ThreadLocalRandom.current()::nextDouble).toMillis();
        vertx.setTimer(Math.max(1, wait), timer -> retry());
    }

    private synchronized void retry() {
        postNext();
    }
}
