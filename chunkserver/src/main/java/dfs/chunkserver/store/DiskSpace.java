package dfs.chunkserver.store;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The free space of the storage root's file system and the reserve every put must leave on it, so
 * the file system (and its other users) never runs dry. One rule for chunks and the metadata copy
 * alike. Immutable; thread-safe.
 */
final class DiskSpace {
    private final Path root;
    private final FileStore fileStore;
    private final long reserveBytes;
    private final Optional<String> disk;

    /** @param reserveBytes not negative (checked by the store that opens it) */
    DiskSpace(Path root, long reserveBytes) throws IOException {
        this.root = root;
        this.fileStore = Files.getFileStore(root);
        this.reserveBytes = reserveBytes;
        this.disk = device(root);
    }

    /**
     * The device number of the file system {@code root} is on, in hex: the same for every folder
     * of one file system of one machine. Empty where the platform does not tell it.
     */
    private static Optional<String> device(Path root) {
        try {
            return Optional.of(Long.toHexString((Long) Files.getAttribute(root, "unix:dev")));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return Optional.empty();
        }
    }

    /** Which file system of this machine the storage root is on (see {@link #device}). */
    Optional<String> disk() {
        return disk;
    }

    /**
     * Refuses {@code upload} unless {@code neededBytes} more still leave the reserve free.
     *
     * @param cause the write failure that prompted the check, if any, kept as the refusal's cause
     */
    void require(Upload upload, long neededBytes, IOException cause) throws IOException {
        long usable = fileStore.getUsableSpace();
        if (usable - neededBytes < reserveBytes) {
            throw new DiskFullException(upload, root, neededBytes, usable, reserveBytes, cause);
        }
    }

    /** What the file system has usable beyond the reserve. */
    long freeBytes() throws IOException {
        return Math.max(0, fileStore.getUsableSpace() - reserveBytes);
    }

    /** Size of the file system. */
    long totalBytes() throws IOException {
        return fileStore.getTotalSpace();
    }
}
