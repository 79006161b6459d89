package io.timeoutpolicy.platform.database;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Makes every {@link WriteBehind}, flushes each on its own interval, gives each a depth gauge
 * ({@code timeout_policy_write_buffer_depth{buffer=…}}) and drains them all on graceful shutdown, in the
 * order they were made.
 */
@ApplicationScoped
public class WriteBehinds {

    private final List<WriteBehind<?>> buffers = new CopyOnWriteArrayList<>();
    private final List<Long> timers = new CopyOnWriteArrayList<>();
    private final DatabaseStatus database;
    private final MeterRegistry registry;
    private final Vertx vertx;

    WriteBehinds(DatabaseStatus database, MeterRegistry registry, Vertx vertx) {
        this.database = database;
        this.registry = registry;
        this.vertx = vertx;
    }

    /** A buffer for {@code name} (plural, as logs and the gauge name it), written by {@code store}. */
    public <T> WriteBehind<T> create(String name, WriteBehind.Settings settings, WriteBehind.Store<T> store) {
        WriteBehind<T> buffer = new WriteBehind<>(name, settings, store, database);
        buffers.add(buffer);
        Gauge.builder("timeout_policy.write_buffer.depth", buffer, WriteBehind::depth).tag("buffer", name)
                .description("Items waiting in a write-behind buffer for the database").register(registry);
        Gauge.builder("timeout_policy.write_buffer.capacity", settings, WriteBehind.Settings::capacity)
                .tag("buffer", name).description("Items a write-behind buffer holds at most").register(registry);
        timers.add(vertx.setPeriodic(settings.flushInterval().toMillis(), timer -> flush(buffer)));
        return buffer;
    }

    void onShutdown(@Observes ShutdownEvent event) {
        timers.forEach(vertx::cancelTimer);
        buffers.forEach(WriteBehind::drain);
    }

    private static void flush(WriteBehind<?> buffer) {
        buffer.flush().subscribe().with(ignored -> { },
                failure -> Log.warnf("Flushing the %s held failed: %s", buffer.name(), failure.getMessage()));
    }
}
