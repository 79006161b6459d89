package io.timeoutpolicy.platform.database;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.timeoutpolicy.platform.journal.Journal;
import io.timeoutpolicy.platform.journal.Journals;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Makes every {@link WriteBehind} with its journal (replayed into it first), flushes each on its own interval,
 * gives each its gauges ({@code timeout_policy_write_buffer_depth{buffer=…}}, the journal's size and what it
 * replayed) and, on graceful shutdown, drains them all in the order they were made and closes the journals.
 */
@ApplicationScoped
public class WriteBehinds {

    private final List<WriteBehind<?>> buffers = new CopyOnWriteArrayList<>();
    private final List<Long> timers = new CopyOnWriteArrayList<>();
    private final DatabaseStatus database;
    private final Journals journals;
    private final RejectedRows rejected;
    private final MeterRegistry registry;
    private final Vertx vertx;

    WriteBehinds(DatabaseStatus database, Journals journals, RejectedRows rejected, MeterRegistry registry,
            Vertx vertx) {
        this.database = database;
        this.journals = journals;
        this.rejected = rejected;
        this.registry = registry;
        this.vertx = vertx;
    }

    /** A buffer for {@code name} (plural, as logs and the gauge name it), written by {@code store}. */
    public <T> WriteBehind<T> create(String name, WriteBehind.Settings settings, WriteBehind.Store<T> store,
            WriteBehind.Codec<T> codec) {
        Journal journal = journals.open(name);
        rejected.register(name);
        WriteBehind<T> buffer = new WriteBehind<>(name, settings, store, codec, database, journal, rejected);
        buffers.add(buffer);
        Journal.Replay replay = journal.replayed();
        if (!replay.items().isEmpty() || replay.torn() > 0) {
            Log.warnf("Replayed %d %s from the journal %s (%d torn record(s) skipped); they are written as soon as"
                    + " the database answers", replay.items().size(), name, journals.dir(), replay.torn());
        }
        Gauge.builder("timeout_policy.write_buffer.depth", buffer, WriteBehind::depth).tag("buffer", name)
                .description("Items waiting in a write-behind buffer for the database").register(registry);
        Gauge.builder("timeout_policy.write_buffer.capacity", settings, WriteBehind.Settings::capacity)
                .tag("buffer", name).description("Items a write-behind buffer holds at most").register(registry);
        Gauge.builder("timeout_policy.journal.size", journal, Journal::size).tag("buffer", name).baseUnit("bytes")
                .description("Bytes in a buffer's journal on disk").register(registry);
        registry.counter("timeout_policy.journal.replayed", "buffer", name).increment(replay.items().size());
        registry.counter("timeout_policy.journal.torn_records", "buffer", name).increment(replay.torn());
        timers.add(vertx.setPeriodic(settings.flushInterval().toMillis(), timer -> flush(buffer)));
        return buffer;
    }

    void onShutdown(@Observes ShutdownEvent event) {
        timers.forEach(vertx::cancelTimer);
        buffers.forEach(WriteBehind::drain);
        journals.close();
    }

    private static void flush(WriteBehind<?> buffer) {
        buffer.flush().subscribe().with(ignored -> { },
                failure -> Log.warnf("Flushing the %s held failed: %s", buffer.name(), failure.getMessage()));
    }
}
