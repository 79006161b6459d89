package io.timeoutpolicy.timeouts;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.timeoutpolicy.platform.problem.ProblemException;
import io.timeoutpolicy.policy.PolicyStore;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Start-up-config requests held until the version an instance would be served changes (SPEC 10.4): a promotion,
 * a canary assignment, a rollback, here or on another replica (the policy store hears of those through
 * PostgreSQL's LISTEN/NOTIFY). A held request is an emitter and a timer, no thread; at most {@code max-held} per
 * replica; all end at once when the replica shuts down.
 */
@ApplicationScoped
public class Watches {

    private final class Watch {
        final String environment;
        final String instance;
        final int version;
        final UniEmitter<? super Boolean> emitter;
        final AtomicBoolean done = new AtomicBoolean();
        /** The event loop of the request's connection: its answer is made and written there. */
        final Context context;
        volatile long timer = -1;

        Watch(String environment, String instance, int version, UniEmitter<? super Boolean> emitter) {
            this.environment = environment;
            this.instance = instance;
            this.version = version;
            this.emitter = emitter;
            this.context = Vertx.currentContext();
        }
    }

    private final Map<String, Set<Watch>> byEnvironment = new ConcurrentHashMap<>();
    private final AtomicInteger held = new AtomicInteger();
    private final PolicyStore policies;
    private final Vertx vertx;
    private final WatchConfig config;
    private volatile boolean closed;

    Watches(PolicyStore policies, Vertx vertx, WatchConfig config, MeterRegistry registry) {
        this.policies = policies;
        this.vertx = vertx;
        this.config = config;
        policies.onChange(this::wake);
        Gauge.builder("timeout_policy.watches.held", this, Watches::held)
                .description("Start-up-config requests held until their version changes (docs/policy-changes.md)").register(registry);
    }

    /**
     * True once {@code instance} would be served another version than {@code version}; false when {@code wait}
     * ends first, or the replica shuts down. A 503 with Retry-After when the replica holds its maximum already.
     */
    Uni<Boolean> until(String environment, String instance, int version, Duration wait) {
        return Uni.createFrom().emitter(emitter -> {
            if (closed) {
                emitter.complete(false);
                return;
            }
            if (held.incrementAndGet() > config.maxHeld()) {
                held.decrementAndGet();
                emitter.fail(ProblemException.unavailable("This replica holds " + config.maxHeld() + " watches"
                        + " already (timeout-policy.watch.max-held); ask again later", config.retryAfter()));
                return;
            }
            Watch watch = new Watch(environment, instance, version, emitter);
            byEnvironment.computeIfAbsent(environment, k -> ConcurrentHashMap.newKeySet()).add(watch);
            emitter.onTermination(() -> end(watch, false));
            watch.timer = vertx.setTimer(Math.max(1, wait.toMillis()), id -> end(watch, false));
            // A change between the caller's look and this registration would otherwise be missed.
            if (served(watch) != version) {
                end(watch, true);
            }
        });
    }

    /** How many requests this replica holds now. */
    public int held() {
        return held.get();
    }

    private void wake(String environment) {
        Set<Watch> watches = byEnvironment.get(environment);
        if (watches == null) {
            return;
        }
        for (Watch watch : List.copyOf(watches)) {
            if (served(watch) != watch.version) {
                end(watch, true);
            }
        }
    }

    private int served(Watch watch) {
        return policies.servedTo(watch.environment, watch.instance).version();
    }

    private void end(Watch watch, boolean changed) {
        if (!watch.done.compareAndSet(false, true)) {
            return;
        }
        if (watch.timer >= 0) {
            vertx.cancelTimer(watch.timer);
        }
        Set<Watch> watches = byEnvironment.get(watch.environment);
        if (watches != null) {
            watches.remove(watch);
        }
        held.decrementAndGet();
        if (watch.context == null || watch.context == Vertx.currentContext()) {
            watch.emitter.complete(changed);
        } else {
            // A promotion wakes thousands at once: each answer is made on its own connection's event loop, spread
            // over all of them, instead of one after the other on the thread that heard of the change.
            watch.context.runOnContext(ignored -> watch.emitter.complete(changed));
        }
    }

    /** Held requests end when the shutdown starts, like the alert streams: each answers 304 and the client asks again. */
    void onShutdownDelay(@Observes ShutdownDelayInitiatedEvent event) {
        endAll();
    }

    void onShutdown(@Observes ShutdownEvent event) {
        endAll();
    }

    private void endAll() {
        closed = true;
        byEnvironment.values().forEach(watches -> List.copyOf(watches).forEach(watch -> end(watch, false)));
    }
}
