package io.timeoutpolicy.alerts.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A receiver's queue: one POST at a time, repeats coalesced, and what a full queue drops is counted. */
class ReceiverQueueTests {

    private final Vertx vertx = Vertx.vertx();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    /** POSTs made and not answered yet: the test answers them. */
    private final List<UniEmitter<? super Void>> open = new CopyOnWriteArrayList<>();
    private final List<UUID> posted = new CopyOnWriteArrayList<>();
    private Duration giveUpAfter = Duration.ofHours(1);

    @AfterEach
    void close() {
        vertx.close();
    }

    @Test
    void a_full_queue_drops_its_oldest_waiting_delivery_and_counts_it() {
        ReceiverQueue queue = queue(2);
        UUID first = UUID.randomUUID();
        queue.offer(outgoing(first));                 // posted at once, unanswered
        UUID second = UUID.randomUUID();
        queue.offer(outgoing(second));
        queue.offer(outgoing(UUID.randomUUID()));
        queue.offer(outgoing(UUID.randomUUID()));     // the queue holds two: the second is dropped

        assertThat(posted).containsExactly(first);
        assertThat(count("dropped")).isEqualTo(1.0);
        assertThat(queue.depth()).isEqualTo(3);       // one in flight, two waiting
        open.get(0).complete(null);
        assertThat(posted).hasSize(2).doesNotContain(second);
        assertThat(count("delivered")).isEqualTo(1.0);
    }

    @Test
    void a_repeat_of_a_waiting_alert_takes_its_place_instead_of_queueing_twice() {
        ReceiverQueue queue = queue(10);
        queue.offer(outgoing(UUID.randomUUID()));
        UUID repeated = UUID.randomUUID();
        queue.offer(outgoing(repeated));
        queue.offer(outgoing(repeated));

        assertThat(queue.depth()).isEqualTo(2);
        assertThat(count("dropped")).isZero();
    }

    @Test
    void a_failed_post_is_made_again_after_its_backoff_and_counted_as_retried() throws InterruptedException {
        ReceiverQueue queue = queue(10);
        UUID id = UUID.randomUUID();
        queue.offer(outgoing(id));
        open.get(0).fail(new ReceiverPost.Refused(500));
        assertThat(count("retried")).isEqualTo(1.0);
        for (int i = 0; i < 100 && posted.size() < 2; i++) {
            Thread.sleep(10); // the backoff is 10–20 ms
        }
        assertThat(posted).containsExactly(id, id);
        open.get(1).complete(null);
        assertThat(count("delivered")).isEqualTo(1.0);
        assertThat(queue.isIdle()).isTrue();
    }

    @Test
    void a_delivery_failing_past_give_up_after_is_counted_as_failed_and_the_next_one_posted() {
        giveUpAfter = Duration.ZERO;
        ReceiverQueue queue = queue(10);
        UUID next = UUID.randomUUID();
        queue.offer(outgoing(UUID.randomUUID()));
        queue.offer(outgoing(next));
        open.get(0).fail(new ReceiverPost.Refused(503));

        assertThat(count("failed")).isEqualTo(1.0);
        assertThat(count("retried")).isZero();
        assertThat(posted).hasSize(2).endsWith(next);
    }

    private ReceiverQueue queue(int capacity) {
        Receiver receiver = new Receiver("r", URI.create("http://r"), Format.JSON, Optional.empty(), false,
                Optional.empty());
        ReceiverQueue.Sender sender = outgoing -> Uni.createFrom().emitter(emitter -> {
            posted.add(outgoing.alertId());
            open.add(emitter);
        });
        return new ReceiverQueue(receiver, settings(capacity), sender, new DeliveryCounters("r", registry), vertx);
    }

    private double count(String outcome) {
        return registry.get("timeout_policy.alert.deliveries").tag("outcome", outcome).counter().count();
    }

    private static Outgoing outgoing(UUID id) {
        return new Outgoing(id, new byte[0], Map.of(), 0, System.nanoTime());
    }

    private DeliverySettings settings(int capacity) {
        return new DeliverySettings() {
            public int queueCapacity() {
                return capacity;
            }

            public Duration timeout() {
                return Duration.ofSeconds(1);
            }

            public Duration initialBackoff() {
                return Duration.ofMillis(20);
            }

            public Duration maxBackoff() {
                return Duration.ofMillis(20);
            }

            public Duration giveUpAfter() {
                return giveUpAfter;
            }

            public Duration shutdownWait() {
                return Duration.ZERO;
            }

            public URI dashboardUrl() {
                return URI.create("http://dashboard/");
            }

            public CircuitBreaker circuitBreaker() {
                return null;
            }
        };
    }
}
