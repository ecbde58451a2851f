package dfs.chunkserver.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The claim of one chunk server on a storage folder: an exclusive {@link FileLock} on
 * {@code <root>/in_use.lock}, held from before the store opens until the server stops. A second
 * server on the same folder would empty the first one's {@code tmp/} at start and scrub, quarantine
 * and answer for the same chunks under the same node id. The operating system releases the lock
 * when its process ends, however it ends, so a leftover file without a holder means nothing.
 */
public final class StorageLock implements AutoCloseable {
    static final String FILE_NAME = "in_use.lock";

    private final FileChannel channel;

    private StorageLock(FileChannel channel) {
        this.channel = channel;
    }

    /**
     * Takes the lock of the storage folder {@code storageDir}, creating the folder if needed.
     *
     * @throws StorageInUseException if another chunk server (another process, or another server
     *     in this one) holds it
     */
    public static StorageLock acquire(Path storageDir) throws IOException {
        Path root = storageDir.toAbsolutePath().normalize();
        Files.createDirectories(root);
        Path file = root.resolve(FILE_NAME);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by another server in this JVM
            }
            if (lock == null) {
                throw new StorageInUseException(root, file);
            }
            return new StorageLock(channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Releases the lock. Idempotent. */
    @Override
    public void close() throws IOException {
        channel.close(); // also releases the lock
    }
}
