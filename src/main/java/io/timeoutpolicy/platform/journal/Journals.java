package io.timeoutpolicy.platform.journal;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The journal directory of this process: checked and locked when the first journal opens (two processes
 * sharing one would replay each other's records), one file per write-behind buffer, all closed together.
 */
@ApplicationScoped
public class Journals {

    static final String PROPERTY = "timeout-policy.journal.dir";

    private final Path dir;
    private final List<Journal> open = new CopyOnWriteArrayList<>();
    private FileChannel lockFile;
    private FileLock lock;

    Journals(JournalConfig config) {
        this.dir = config.dir().toAbsolutePath();
    }

    /** The journal of the buffer {@code name}, with what it held from before. */
    public synchronized Journal open(String name) {
        lockDirectory();
        Journal journal = Journal.open(dir.resolve(name + ".journal"));
        open.add(journal);
        return journal;
    }

    /** Closes every journal (after the buffers drained) and releases the directory. */
    public synchronized void close() {
        open.forEach(Journal::close);
        open.clear();
        try {
            if (lock != null) {
                lock.release();
                lockFile.close();
            }
        } catch (IOException e) {
            Log.warnf("Releasing the journal directory %s: %s", dir, e.getMessage());
        }
        lock = null;
    }

    public Path dir() {
        return dir;
    }

    private void lockDirectory() {
        if (lock != null) {
            return;
        }
        try {
            Files.createDirectories(dir);
            if (!Files.isWritable(dir)) {
                throw new IllegalStateException(PROPERTY + "=" + dir + " is not writable by this process");
            }
            lockFile = FileChannel.open(dir.resolve("journal.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            lock = lockFile.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            throw new IllegalStateException(PROPERTY + "=" + dir + " cannot be used: " + e.getMessage(), e);
        }
        if (lock == null) {
            throw new IllegalStateException(PROPERTY + "=" + dir + " is in use by another process: give each"
                    + " replica a journal directory of its own");
        }
        Log.infof("Journal of held writes in %s", dir);
    }
}
