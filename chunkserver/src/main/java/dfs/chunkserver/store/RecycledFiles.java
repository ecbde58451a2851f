package dfs.chunkserver.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files of deleted chunks, emptied and kept in {@code free/} under numbered names, to become
 * the files of later writes. A new file costs the file system an inode, and ext4 without a journal
 * does not hand out an inode freed in the last minutes until its deletion is surely on disk: it
 * walks past every such inode, from the start of the group, on every create. After a few thousand
 * chunks were deleted, each create took 0.25-1.1 ms of CPU there instead of 0.035. A deletion
 * that moves the file here and a write that takes it back cost two renames and a truncation,
 * whatever the file system, and leave the inode table alone.
 *
 * <p>A file is emptied as it arrives, so a deleted chunk's bytes leave the disk as they would
 * with an unlink. One left with bytes by a crash between its move and its truncation is emptied
 * when it is reused (writes open their file truncating it). Keeps at most {@link #MAX_FILES}
 * (about 16 MiB of inode table on ext4); beyond that a deleted file is unlinked. Thread-safe.
 */
final class RecycledFiles {
    private static final Logger LOG = LoggerFactory.getLogger(RecycledFiles.class);

    /** Empty files kept: an inode and a name each, no data. */
    static final int MAX_FILES = 65_536;

    private final Path dir;
    private final int maxFiles;
    private final ArrayDeque<Long> kept = new ArrayDeque<>(); // guarded by this
    private long next; // guarded by this

    RecycledFiles(Path dir) {
        this(dir, MAX_FILES);
    }

    RecycledFiles(Path dir, int maxFiles) {
        this.dir = dir;
        this.maxFiles = maxFiles;
    }

    /** Creates {@code free/} if needed and takes in the files a previous run kept there. */
    synchronized void load() throws IOException {
        Files.createDirectories(dir);
        kept.clear();
        long highest = -1;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                long n = number(entry.getFileName().toString());
                if (Files.isDirectory(entry)) {
                    LOG.warn("leaving unexpected folder {} in {}", entry.getFileName(), dir);
                    highest = Math.max(highest, n); // never a name to move a file onto
                    continue;
                }
                if (n < 0 || kept.size() >= maxFiles) {
                    LOG.warn("removing {} from {}: not a kept file, or one too many", entry.getFileName(), dir);
                    Files.deleteIfExists(entry);
                    continue;
                }
                kept.add(n);
                highest = Math.max(highest, n);
            }
        }
        next = highest + 1;
    }

    private static long number(String name) {
        if (name.isEmpty() || name.length() > 18 || !name.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Long.parseLong(name);
    }

    /**
     * Moves a kept file to {@code target}, a name that does not exist yet in the same file system.
     *
     * @return false when no file is kept: create {@code target} instead
     */
    boolean takeAs(Path target) throws IOException {
        while (true) {
            Long n;
            synchronized (this) {
                n = kept.pollLast(); // the most recently emptied, whose inode is likeliest cached
            }
            if (n == null) {
                return false;
            }
            Path source = dir.resolve(Long.toString(n));
            try {
                Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
                return true;
            } catch (NoSuchFileException gone) {
                if (Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
                    synchronized (this) {
                        kept.addLast(n); // the target's folder is missing, not this file
                    }
                    throw gone;
                }
                if (!Files.isDirectory(dir)) {
                    forgetAll(); // free/ itself was removed: none of the kept files is there any more
                    return false;
                }
                // this one was removed by hand: try the next
            }
        }
    }

    private synchronized void forgetAll() {
        kept.clear();
    }

    /**
     * Moves {@code file} here and empties it, or deletes it when the most files are kept. The
     * caller forces the folder {@code file} was in when the removal must be durable.
     *
     * @return false when {@code file} does not exist
     */
    boolean recycle(Path file) throws IOException {
        long n;
        synchronized (this) {
            n = kept.size() < maxFiles ? next++ : -1;
        }
        if (n < 0) {
            return Files.deleteIfExists(file);
        }
        Path target = dir.resolve(Long.toString(n));
        try {
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                return false; // nothing to remove
            }
            // free/ is gone or refuses the move (removed by hand, say): the file is deleted as
            // it would be without reuse, and free/ is made again for the next deletion
            LOG.warn("cannot keep {} in {} ({}); deleting it instead", file.getFileName(), dir, e.toString());
            forgetAll();
            Files.createDirectories(dir);
            return Files.deleteIfExists(file);
        }
        try (FileChannel emptied = FileChannel.open(target, StandardOpenOption.WRITE)) {
            emptied.truncate(0);
        } catch (IOException e) {
            LOG.warn("cannot empty {} ({}); deleting it instead", target, e.toString());
            Files.deleteIfExists(target);
            return true;
        }
        synchronized (this) {
            kept.addLast(n);
        }
        return true;
    }

    /** How many emptied files are kept now. */
    synchronized int size() {
        return kept.size();
    }
}
