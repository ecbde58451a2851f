package dfs.chunkserver.store;

import dfs.common.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a master drained this server ({@code dfs drain}): its copies are being moved off, and
 * masters place no new ones here. Kept as the file {@code draining} in the storage root, so a
 * restart, say of a machine about to be retired, does not quietly take the server back; only
 * {@code dfs drain --undo} does, or a fresh storage folder. Thread-safe.
 */
public final class DrainMark {
    private static final byte[] TEXT = ("drained by a master: masters place no new chunk copies on this server;"
            + " 'dfs drain --undo NODE' takes it back\n").getBytes(StandardCharsets.US_ASCII);

    private final Path file;
    private volatile boolean set;

    DrainMark(Path file) {
        this.file = file;
        this.set = Files.exists(file);
    }

    public boolean isSet() {
        return set;
    }

    /** Sets the mark, durably; false when it was set already. */
    public synchronized boolean set() throws IOException {
        if (set) {
            return false;
        }
        AtomicFiles.write(file, TEXT);
        set = true;
        return true;
    }

    /** Clears the mark, durably; false when it was not set. */
    public synchronized boolean clear() throws IOException {
        if (!set) {
            return false;
        }
        AtomicFiles.delete(file);
        set = false;
        return true;
    }
}
