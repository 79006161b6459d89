package io.timeoutpolicy.platform.journal;

import io.quarkus.logging.Log;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * An append-only file of what a write-behind buffer holds (SPEC 7), in the buffer's order, so that what was
 * acknowledged survives a crash. Like PostgreSQL's WAL writer, one thread writes: appends that arrive while it
 * syncs are written and synced together (group commit), and each caller is answered once its records are on
 * disk. Written items are acknowledged in the same order ({@link #acknowledge}); once none is left the file is
 * truncated, so it never grows beyond what the buffer holds.
 *
 * <p>A record is {@code type (1) | length (4) | CRC-32C of type and payload (4) | payload}. A torn or corrupt
 * record ends the readable part: it and what follows are dropped and counted, never fatal.
 */
public final class Journal implements AutoCloseable {

    static final byte ITEM = 1;
    static final byte ACK = 2;
    static final int HEADER = 9;
    /** Larger than any item a buffer holds (a decision with its analysis is a few KB): a bigger length is corrupt. */
    static final int MAX_PAYLOAD = 16 * 1024 * 1024;

    /** What the file held when it was opened: the items not yet acknowledged, and how many records were torn. */
    public record Replay(List<byte[]> items, int torn) {
    }

    private record Op(List<byte[]> items, int acknowledged, CompletableFuture<Void> done) {
    }

    private final Path file;
    private final FileChannel channel;
    private final ExecutorService writer;
    private final List<Op> pending = new ArrayList<>();
    private final Replay replay;
    private boolean draining;
    /** Items in the file not acknowledged yet; touched by the writer thread only. */
    private long unacknowledged;

    private Journal(Path file, FileChannel channel, Replay replay) {
        this.file = file;
        this.channel = channel;
        this.replay = replay;
        this.unacknowledged = replay.items().size();
        this.writer = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "journal-" + file.getFileName());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Opens (or creates) the journal {@code file}, reading what it holds first. */
    public static Journal open(Path file) {
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            Replay replay = JournalReader.read(channel, file);
            return new Journal(file, channel, replay);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the journal " + file + ": " + e.getMessage(), e);
        }
    }

    /** What the file held when opened, unacknowledged items first to last. */
    public Replay replayed() {
        return replay;
    }

    /** Appends {@code items}; the future completes once they are on disk. */
    public CompletableFuture<Void> append(List<byte[]> items) {
        return submit(new Op(items, 0, new CompletableFuture<>()));
    }

    /** The oldest {@code count} items not acknowledged yet are written to the database: they are not replayed. */
    public void acknowledge(int count) {
        if (count > 0) {
            submit(new Op(List.of(), count, new CompletableFuture<>()));
        }
    }

    /** Bytes in the file now. */
    public long size() {
        try {
            return channel.size();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Writes what is pending and closes the file; what it holds is replayed at the next start. */
    @Override
    public void close() {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(5, TimeUnit.SECONDS)) {
                Log.errorf("The journal %s did not finish writing within 5 s", file);
            }
            channel.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            Log.errorf("Closing the journal %s failed: %s", file, e.getMessage());
        }
    }

    private CompletableFuture<Void> submit(Op op) {
        synchronized (pending) {
            pending.add(op);
            if (!draining) {
                draining = true;
                writer.execute(this::drain);
            }
        }
        return op.done();
    }

    /** The writer thread: everything pending is written and synced at once, then its callers are answered. */
    private void drain() {
        while (true) {
            List<Op> batch;
            synchronized (pending) {
                if (pending.isEmpty()) {
                    draining = false;
                    return;
                }
                batch = new ArrayList<>(pending);
                pending.clear();
            }
            try {
                writeAndSync(batch);
                batch.forEach(op -> op.done().complete(null));
            } catch (IOException | RuntimeException e) {
                Log.errorf("Writing the journal %s failed: %s", file, e.getMessage());
                batch.forEach(op -> op.done().completeExceptionally(e));
            }
        }
    }

    private void writeAndSync(List<Op> batch) throws IOException {
        boolean appended = false;
        for (Op op : batch) {
            for (byte[] item : op.items()) {
                write(ITEM, item);
                unacknowledged++;
                appended = true;
            }
            if (op.acknowledged() > 0) {
                write(ACK, ByteBuffer.allocate(4).putInt(op.acknowledged()).array());
                unacknowledged -= op.acknowledged();
            }
        }
        if (unacknowledged <= 0) {
            // Everything written to the database: start afresh, so the file stays as small as the buffer.
            unacknowledged = 0;
            channel.truncate(0);
            channel.position(0);
            channel.force(false);
        } else if (appended) {
            channel.force(false);
        }
    }

    private void write(byte type, byte[] payload) throws IOException {
        ByteBuffer record = ByteBuffer.allocate(HEADER + payload.length);
        record.put(type).putInt(payload.length).putInt(checksum(type, payload)).put(payload).flip();
        while (record.hasRemaining()) {
            channel.write(record);
        }
    }

    static int checksum(byte type, byte[] payload) {
        CRC32C crc = new CRC32C();
        crc.update(type);
        crc.update(payload);
        return (int) crc.getValue();
    }
}
