package io.timeoutpolicy.platform.database;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.timeoutpolicy.platform.problem.ProblemException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writes that wait for the database (SPEC 7), the one mechanism every feature uses: what cannot be written
 * now is kept in a bounded buffer, in order, and written batch by batch as soon as the database answers again
 * (and on graceful shutdown); a full buffer is a 503 with Retry-After, so the caller keeps what it sent and
 * retries. Made by {@link WriteBehinds}, which flushes and drains every buffer.
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

        /** How long a graceful shutdown waits to write what is held. */
        Duration shutdownWait();

        /** The Retry-After of the 503 answered while the buffer is full. */
        Duration retryAfter();
    }

    /** Writes one batch. Idempotent: a batch whose answer was lost is written again. */
    @FunctionalInterface
    public interface Store<T> {
        Uni<Void> write(List<T> batch);
    }

    private final String name;
    private final Settings settings;
    private final Store<T> store;
    private final DatabaseStatus database;
    private final BoundedBuffer<T> buffer;
    private final AtomicBoolean flushing = new AtomicBoolean();
    /** The batch being written now: still held (found, counted) until it is written or put back. */
    private volatile List<T> writing = List.of();

    WriteBehind(String name, Settings settings, Store<T> store, DatabaseStatus database) {
        this.name = name;
        this.settings = settings;
        this.store = store;
        this.database = database;
        this.buffer = new BoundedBuffer<>(settings.capacity());
    }

    /** Writes {@code items} now while the database is healthy, else (or when that fails) keeps them. */
    public Uni<Void> writeOrKeep(List<T> items) {
        // Lazy, so that a full buffer fails with its 503 alone, not combined with the write's failure.
        Uni<Void> kept = Uni.createFrom().item(() -> {
            keep(items);
            return null;
        });
        if (!database.isHealthy()) {
            return kept;
        }
        return store.write(items).onFailure().recoverWithUni(failure -> {
            database.markUnavailable(failure);
            return kept;
        });
    }

    /** Keeps every one of {@code items} to write later, or none: a 503 when they do not all fit. */
    public void keep(List<T> items) {
        if (!buffer.offer(items)) {
            throw ProblemException.unavailable("The database is unavailable and the write-behind buffer of " + name
                    + " is full (" + settings.capacity() + "); keep them and retry", settings.retryAfter());
        }
        if (buffer.size() == items.size()) {
            Log.warnf("Holding %s for the database until it is back (buffer of %d)", name, settings.capacity());
        }
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
        return buffer.size() + writing.size();
    }

    String name() {
        return name;
    }

    Settings settings() {
        return settings;
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
        return store.write(batch)
                .invoke(() -> {
                    writing = List.of();
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

    /** On graceful shutdown: written if the database allows within the wait, never silently dropped. */
    void drain() {
        if (buffer.size() == 0) {
            return;
        }
        try {
            // Timers are cancelled by now; a periodic flush still running only takes other batches.
            flushBatches().await().atMost(settings.shutdownWait());
        } catch (RuntimeException e) {
            Log.errorf("Shutting down: writing the %s held failed: %s", name, e.getMessage());
        }
        if (buffer.size() > 0) {
            Log.errorf("Shutting down with %d %s not written (database unavailable)", buffer.size(), name);
        }
    }
}
