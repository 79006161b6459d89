package io.timeoutpolicy.timeouts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.timeoutpolicy.instances.InstanceRegistry;
import io.timeoutpolicy.platform.problem.ProblemException;
import io.timeoutpolicy.policy.Operation;
import io.timeoutpolicy.policy.PolicyStore;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Start-up-config requests held until the version an instance would be served changes (SPEC 10.4): a promotion,
 * a canary assignment, a rollback, here or on another replica (the policy store hears of those through
 * PostgreSQL's LISTEN/NOTIFY). At most {@code max-held} per replica; all end at once when the replica shuts down.
 * <p>
 * Ten thousand are held on one replica (BENCHMARKS.md, "Watches"), so a held request is one small object and a set
 * entry: the watch is itself the future RESTEasy waits on (no Mutiny pipeline, whose context captures cost more
 * than a kilobyte per request), one sweeper ends the waits (no timer per watch), and a wake answers in batches —
 * one task per event loop, and the answer rendered once per served version and pressure, not once per watcher.
 */
@ApplicationScoped
public class Watches {

    /** How often the sweeper ends the waits that are over: a 304 comes at most this late. */
    static final long SWEEP_MILLIS = 100;

    private static final Executor DIRECT = Runnable::run;

    /** One held request; RESTEasy cancels it when its client goes away. */
    final class Watch extends CompletableFuture<RestResponse<byte[]>> {
        final String environment;
        final String instance;
        final List<String> pressure;
        final int version;
        final long deadline;
        /** The request's context: its answer is made and written there. */
        final Context context;

        Watch(String environment, String instance, List<String> pressure, int version, long deadline) {
            this.environment = environment;
            this.instance = instance;
            this.pressure = pressure;
            this.version = version;
            this.deadline = deadline;
            this.context = Vertx.currentContext();
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            release(this);
            return super.cancel(mayInterruptIfRunning);
        }
    }

    private final Map<String, Set<Watch>> byEnvironment = new ConcurrentHashMap<>();
    private final AtomicInteger held = new AtomicInteger();
    private final PolicyStore policies;
    private final TimeoutService service;
    private final InstanceRegistry instances;
    private final ObjectMapper mapper;
    private final WatchConfig config;
    private final ServedCounts servedCounts;
    private final Vertx vertx;
    private final long sweeper;
    private volatile boolean closed;

    Watches(PolicyStore policies, TimeoutService service, InstanceRegistry instances, ObjectMapper mapper,
            Vertx vertx, WatchConfig config, MeterRegistry registry, ServedCounts servedCounts) {
        this.policies = policies;
        this.service = service;
        this.instances = instances;
        this.mapper = mapper;
        this.config = config;
        this.vertx = vertx;
        this.servedCounts = servedCounts;
        policies.onChange(this::wake);
        this.sweeper = vertx.setPeriodic(SWEEP_MILLIS, id -> sweep());
        Gauge.builder("timeout_policy.watches.held", this, Watches::held)
                .description("Start-up-config requests held until their version changes (docs/policy-changes.md)").register(registry);
    }

    /**
     * The answer to a watch of {@code version}: 200 with the new configuration once {@code instance} would be served
     * another version, 304 when {@code wait} ends first or the replica shuts down. A 503 with Retry-After when the
     * replica holds its maximum already.
     */
    CompletionStage<RestResponse<byte[]>> until(String environment, String instance, List<String> pressure, int version,
            Duration wait) {
        if (closed) {
            return CompletableFuture.completedFuture(notModified(version));
        }
        if (held.incrementAndGet() > config.maxHeld()) {
            held.decrementAndGet();
            throw ProblemException.unavailable("This replica holds " + config.maxHeld() + " watches"
                    + " already (timeout-policy.watch.max-held); ask again later", config.retryAfter());
        }
        Watch watch = new Watch(environment, instance, pressure, version, System.nanoTime() + wait.toNanos());
        byEnvironment.computeIfAbsent(environment, k -> ConcurrentHashMap.newKeySet()).add(watch);
        // A change between the caller's look and this registration would otherwise be missed.
        if (served(watch) != version && release(watch)) {
            answer(List.of(watch), new Answers()::changed);
        }
        return watch;
    }

    /** How many requests this replica holds now. */
    public int held() {
        return held.get();
    }

    private void wake(String environment) {
        Set<Watch> watches = byEnvironment.get(environment);
        if (watches == null || watches.isEmpty()) {
            return;
        }
        List<Watch> woken = new ArrayList<>();
        for (Watch watch : watches) {
            if (served(watch) != watch.version && release(watch)) {
                woken.add(watch);
            }
        }
        answer(woken, new Answers()::changed);
    }

    /** Ends the waits that are over with 304. */
    private void sweep() {
        long now = System.nanoTime();
        List<Watch> over = new ArrayList<>();
        for (Set<Watch> watches : byEnvironment.values()) {
            for (Watch watch : watches) {
                if (now - watch.deadline >= 0 && release(watch)) {
                    over.add(watch);
                }
            }
        }
        answer(over, watch -> notModified(watch.version));
    }

    private int served(Watch watch) {
        return policies.servedTo(watch.environment, watch.instance).version();
    }

    /** Takes a watch out of the held ones; true for the one caller that did (it answers it). */
    private boolean release(Watch watch) {
        Set<Watch> watches = byEnvironment.get(watch.environment);
        if (watches != null && watches.remove(watch)) {
            held.decrementAndGet();
            return true;
        }
        return false;
    }

    /**
     * Answers released watches on their own event loops, spread over all of them instead of one after the other on
     * the thread that heard of the change: one task per event loop, each watch's answer made in its own context.
     */
    private void answer(List<Watch> watches, Function<Watch, RestResponse<byte[]>> response) {
        Map<Executor, List<Watch>> byLoop = new HashMap<>();
        for (Watch watch : watches) {
            Executor loop = watch.context instanceof ContextInternal internal ? internal.nettyEventLoop() : DIRECT;
            byLoop.computeIfAbsent(loop, k -> new ArrayList<>()).add(watch);
        }
        byLoop.forEach((loop, batch) -> {
            Runnable task = () -> {
                for (Watch watch : batch) {
                    if (watch.context instanceof ContextInternal internal) {
                        internal.dispatch(watch, woken -> complete(woken, response));
                    } else {
                        complete(watch, response);
                    }
                }
            };
            try {
                loop.execute(task);
            } catch (RejectedExecutionException e) {
                task.run(); // the event loop is gone (the very end of a shutdown): answer from here
            }
        });
    }

    private static void complete(Watch watch, Function<Watch, RestResponse<byte[]>> response) {
        try {
            watch.complete(response.apply(watch));
        } catch (RuntimeException e) {
            watch.completeExceptionally(e); // e.g. a pressure indicator the new version does not know: its 400
        }
    }

    /** The 200s of one wake: each rendered once per served version and pressure, whoever of the woken asked. */
    private final class Answers {
        private record Key(int version, List<String> pressure) {
        }

        /** An answer's bytes, its version, and the counter of answers its branch adds to (as TimeoutService's). */
        private record Rendered(byte[] body, int version, LongAdder served) {
        }

        private final Map<Key, Rendered> rendered = new ConcurrentHashMap<>();

        RestResponse<byte[]> changed(Watch watch) {
            int version = served(watch);
            Key key = new Key(version, watch.pressure);
            Rendered answer = rendered.get(key);
            if (answer == null) {
                // The first of its kind is answered as any request is (its instance noted as served, counted); the
                // others are noted and counted here.
                answer = render(service.startupConfig(watch.environment, watch.pressure, watch.instance));
                rendered.putIfAbsent(key, answer);
            } else {
                answer.served().increment();
                if (watch.instance != null) {
                    instances.served(watch.environment, watch.instance, answer.version());
                }
            }
            return RestResponse.ResponseBuilder.ok(answer.body(), MediaType.APPLICATION_JSON_TYPE)
                    .header(HttpHeaders.ETAG, TimeoutsResource.weakTag(answer.version())).build();
        }

        private Rendered render(StartupConfigAnswer answer) {
            try {
                Branch branch = answer.timeouts().explanations().get(Operation.CONNECTION.timeoutKey()).branch();
                return new Rendered(mapper.writeValueAsBytes(answer), answer.policyVersion(),
                        servedCounts.of(answer.environment(), branch));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static RestResponse<byte[]> notModified(int version) {
        return RestResponse.ResponseBuilder.<byte[]>notModified().header(HttpHeaders.ETAG, TimeoutsResource.weakTag(version))
                .build();
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
        vertx.cancelTimer(sweeper);
        List<Watch> all = new ArrayList<>();
        byEnvironment.values().forEach(watches -> watches.forEach(watch -> {
            if (release(watch)) {
                all.add(watch);
            }
        }));
        answer(all, watch -> notModified(watch.version));
    }
}
