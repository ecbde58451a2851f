package dfs.master.transfer;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The hidden files downloads are written into before they are renamed to their names. A download
 * that fails deletes its own; those still being written when the program is stopped (Ctrl-C,
 * SIGTERM) are deleted as it exits, so an interrupted download leaves no hidden, partly written
 * copy of a large file behind. Thread-safe.
 */
final class PartialFiles {
    private static final Set<Path> IN_PROGRESS = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(PartialFiles::deleteInProgress, "dfs-partial-files"));
    }

    private PartialFiles() {}

    /**
     * A new, empty {@code .<name>.<random>.partial} in {@code dir}, deleted at exit unless
     * {@link #release}d first. Created with the permissions any new file gets here (the user's
     * umask, as with {@code cp}), where {@link Files#createTempFile} would make the downloaded
     * file owner-only.
     */
    static Path create(Path dir, String name) throws IOException {
        while (true) {
            String random = Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
            Path partial = dir.resolve("." + name + "." + random + ".partial");
            IN_PROGRESS.add(partial); // before it exists: an exit in between deletes nothing
            try {
                return Files.createFile(partial);
            } catch (FileAlreadyExistsException e) {
                IN_PROGRESS.remove(partial); // another download's name: draw again
            } catch (IOException | RuntimeException e) {
                IN_PROGRESS.remove(partial);
                throw e;
            }
        }
    }

    /** {@code partial} was renamed into place or deleted: nothing to do for it at exit. */
    static void release(Path partial) {
        IN_PROGRESS.remove(partial);
    }

    /** Deletes every partial file not released; what the exit hook runs. */
    static void deleteInProgress() {
        for (Path partial : IN_PROGRESS) {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException e) {
                // exiting: nowhere left to report it; the file is hidden and named .partial
            }
        }
    }
}
