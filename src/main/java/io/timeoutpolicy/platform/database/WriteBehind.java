package io.timeoutpolicy.platform.database;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.timeoutpolicy.platform.journal.Journal;
import io.timeoutpolicy.platform.problem.ProblemException;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writes that wait for the database (SPEC 7), the one mechanism every feature uses: what cannot be written
 * now is kept in a bounded buffer, in order, and written batch by batch as soon as the database answers again
 * (and on graceful shutdown); a full buffer is a 503 with Retry-After, so the caller keeps what it sent and
 * retries. What is kept is first appended to this buffer's {@link Journal} and answered once it is on disk, so
 * that a crash loses nothing acknowledged; the journal is replayed into the buffer at the next start. A row the
 * database refuses for its content is set aside ({@link RejectedRows}) and the rest written: it never holds
 * the buffer. Made by {@link WriteBehinds}, which flushes and drains every buffer.
 *
 * @param <T> what is written, e.g. an attempt or a decision
 */
public final class WriteBehind<T> {

    /** One user's settings, each from a config group of its own (docs/operations.md, "Configuration"). */
    public interface Settings {
        /** Items held while the database is unavailable; a request that does not fit is refused (503). */
        int capacity();

        /** How often what is held is tried against the database. */
        Duration flushInterval();

        /** Most items handed to one write while flushing. */
        int batchSize();

        /** How long a graceful shutdown keeps trying to write what is held. */
        Duration shutdownWait();

        /** The Retry-After of the 503 answered while the buffer is full. */
        Duration retryAfter();
    }

    /** Writes one batch. Idempotent: a batch whose answer was lost is written again. */
    @FunctionalInterface
    public interface Store<T> {
        Uni<Void> write(List<T> batch);
    }

    /** How an item is kept in the journal (and in {@code rejected_rows}): bytes of JSON, and back. */
    public interface Codec<T> {
        byte[] encode(T item);

        T decode(byte[] bytes);
    }

    /** Keeps an item the database refused for its content, with why ({@link RejectedRows}). */
    @FunctionalInterface
    public interface SetAside {
        Uni<Void> setAside(String kind, byte[] payload, ContentRefused refused);
    }

    private static final Duration SHUTDOWN_RETRY = Duration.ofMillis(250);

    private final String name;
    private final Settings settings;
    private final Store<T> store;
    private final Codec<T> codec;
    private final DatabaseStatus database;
    private final Journal journal;
    private final SetAside rejected;
    private final BoundedBuffer<T> buffer;
    private final AtomicBoolean flushing = new AtomicBoolean();
    /** The batch being written now: still held (found, counted) until it is written or put back. */
    private volatile List<T> writing = List.of();

    WriteBehind(String name, Settings settings, Store<T> store, Codec<T> codec, DatabaseStatus database,
            Journal journal, SetAside rejected) {
        this.name = name;
        this.settings = settings;
        this.store = store;
        this.codec = codec;
        this.database = database;
        this.journal = journal;
        this.rejected = rejected;
        this.buffer = new BoundedBuffer<>(settings.capacity());
        buffer.restore(journal.replayed().items().stream().map(codec::decode).toList());
    }

    /** Writes {@code items} now while the database is healthy, else (or when that fails) keeps them. */
    public Uni<Void> writeOrKeep(List<T> items) {
        if (!database.isHealthy()) {
            return Uni.createFrom().deferred(() -> keep(items));
        }
        return writeSettingAside(items).onFailure(DatabaseFailures::isOutage).recoverWithUni(failure -> {
            database.markUnavailable(failure);
            // Deferred, so that a full buffer fails with its 503 alone, not combined with the write's failure.
            return Uni.createFrom().deferred(() -> keep(items));
        });
    }

    /**
     * Keeps every one of {@code items} to write later, or none: a 503 (thrown at once) when they do not all fit.
     * The answer comes once they are in the journal on disk, on the caller's Vert.x context.
     */
    public Uni<Void> keep(List<T> items) {
        List<byte[]> records = items.stream().map(codec::encode).toList();
        CompletableFuture<Void> durable;
        // One lock for both, so that the journal holds the items in the buffer's order (acknowledged in it).
        synchronized (buffer) {
            if (!buffer.offer(items)) {
                throw ProblemException.unavailable("The database is unavailable and the write-behind buffer of "
                        + name + " is full (" + settings.capacity() + "); keep them and retry", settings.retryAfter());
            }
            durable = journal.append(records);
        }
        if (buffer.held() == items.size()) {
            Log.warnf("Holding %s for the database until it is back (buffer of %d)", name, settings.capacity());
        }
        Context context = Vertx.currentContext();
        Uni<Void> onDisk = Uni.createFrom().completionStage(durable).onFailure().transform(failure ->
                ProblemException.unavailable("The database is unavailable and the journal of " + name
                        + " cannot be written; retry", settings.retryAfter()));
        return context == null ? onDisk : onDisk.emitOn(command -> context.runOnContext(ignored -> command.run()));
    }

    /** What is held now, oldest first, the batch being written included. */
    public List<T> held() {
        List<T> inFlight = writing;
        if (inFlight.isEmpty()) {
            return buffer.snapshot();
        }
        List<T> all = new ArrayList<>(inFlight);
        all.addAll(buffer.snapshot());
        return all;
    }

    /** Items not written yet, the batch being written included. */
    public int depth() {
        return buffer.held();
    }

    String name() {
        return name;
    }

    Settings settings() {
        return settings;
    }

    Journal journal() {
        return journal;
    }

    /**
     * Writes what is held, batch after batch, until it is empty or a write fails (the batch is then put back
     * in front, for the next try). One flush at a time.
     */
    Uni<Void> flush() {
        if (buffer.size() == 0 || !database.isSchemaReady() || !flushing.compareAndSet(false, true)) {
            return Uni.createFrom().voidItem();
        }
        return flushBatches().eventually(() -> flushing.set(false));
    }

    private Uni<Void> flushBatches() {
        List<T> batch = buffer.take(settings.batchSize());
        if (batch.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        writing = batch;
        return writeSettingAside(batch)
                .invoke(() -> {
                    writing = List.of();
                    buffer.written(batch.size());
                    journal.acknowledge(batch.size());
                    database.markAvailable();
                    Log.infof("Wrote %d %s held while the database was unavailable; %d still held", batch.size(),
                            name, buffer.size());
                })
                .chain(this::flushBatches)
                .onFailure().recoverWithUni(failure -> {
                    buffer.putBack(batch);
                    writing = List.of();
                    database.markUnavailable(failure);
                    return Uni.createFrom().voidItem();
                });
    }

    /**
     * Writes {@code batch}; when the database refuses some of it for its content, halves it until each refused
     * item is alone, sets that one aside and writes the rest. Fails only for an outage.
     */
    private Uni<Void> writeSettingAside(List<T> batch) {
        return store.write(batch).onFailure(DatabaseFailures::isContentError).recoverWithUni(failure -> {
            if (batch.size() == 1) {
                return rejected.setAside(name, codec.encode(batch.get(0)), DatabaseFailures.asContentRefused(failure));
            }
            int half = batch.size() / 2;
            return writeSettingAside(batch.subList(0, half))
                    .chain(() -> writeSettingAside(batch.subList(half, batch.size())));
        });
    }

    /**
     * On graceful shutdown: tries to write what is held until it is written or {@code shutdown-wait} is over,
     * whatever the breakers say now (one may still be open from the outage and close meanwhile). What is left
     * stays in the journal and is written after the next start. It blocks: only the shutdown thread calls it
     * ({@code WriteBehinds.onShutdown}), never an event loop.
     */
    void drain() {
        long deadline = System.nanoTime() + settings.shutdownWait().toNanos();
        int before = depth();
        // depth, not size: a periodic flush that was running when the timers stopped may hold a batch in flight.
        while (depth() > 0 && System.nanoTime() < deadline) {
            try {
                flushBatches().await().atMost(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            } catch (RuntimeException e) {
                Log.warnf("Shutting down: writing the %s held failed: %s", name, e.getMessage());
            }
            if (depth() > 0) {
                pause(Math.min(SHUTDOWN_RETRY.toNanos(), Math.max(0, deadline - System.nanoTime())));
            }
        }
        int left = depth();
        if (left > 0) {
            Log.errorf("Shutting down with %d %s not written to the database (%s); they stay in the journal and"
                    + " are written after the next start", left, name, database.unavailableReason());
        } else if (before > 0) {
            Log.infof("Shutting down: wrote the %d %s held", before, name);
        }
    }

    private static void pause(long nanos) {
        try {
            Thread.sleep(Duration.ofNanos(nanos).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
