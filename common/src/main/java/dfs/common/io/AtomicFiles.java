package dfs.common.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Durable, all-or-nothing file replacement: write a temporary file in the same folder, force it
 * to disk, rename it over the target atomically, then force the folder so the rename itself
 * survives a power cut. A reader sees either the old content or the new, never a mix.
 * Stateless and thread-safe; concurrent writers of the same target must coordinate themselves.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Replaces {@code target} with {@code content}, durably and atomically. */
    public static void write(Path target, byte[] content) throws IOException {
        Path dir = parentOf(target);
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            commit(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Moves an already written and forced temporary file over {@code target} atomically and forces
     * the folder. The temporary file must be in the same folder (same file system) as the target.
     */
    public static void commit(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot replace " + target + " atomically: " + tmp
                    + " is on another file system", e);
        }
        forceDirectory(parentOf(target));
    }

    /** Deletes {@code file} if it exists and forces its folder, so the deletion survives a power cut; false when absent. */
    public static boolean delete(Path file) throws IOException {
        if (!Files.deleteIfExists(file)) {
            return false;
        }
        forceDirectory(parentOf(file));
        return true;
    }

    /** Forces a folder's entries to disk (no-op where the platform cannot open folders). */
    public static void forceDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems refuse to open or fsync a directory; the rename is still atomic.
            if (Files.isDirectory(dir) && !System.getProperty("os.name", "").startsWith("Linux")) {
                return;
            }
            throw e;
        }
    }

    private static Path parentOf(Path target) {
        Path parent = target.toAbsolutePath().getParent();
        if (parent == null) {
            throw new IllegalArgumentException("no parent folder for " + target);
        }
        return parent;
    }
}
