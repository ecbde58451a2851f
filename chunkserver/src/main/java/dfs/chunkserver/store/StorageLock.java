package dfs.chunkserver.store;

import dfs.common.io.ExclusiveLock;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * The claim of one chunk server on a storage folder: an {@link ExclusiveLock} on
 * {@code <root>/in_use.lock}, held from before the store opens until the server stops. A second
 * server on the same folder would empty the first one's {@code tmp/} at start and scrub, quarantine
 * and answer for the same chunks under the same node id.
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
        StorageLayout.createRoot(root);
        Path file = root.resolve(FILE_NAME);
        return new StorageLock(ExclusiveLock.tryAcquire(file).orElseThrow(() -> new StorageInUseException(root, file)));
    }

    /** Releases the lock. Idempotent. */
    @Override
    public void close() throws IOException {
        channel.close(); // also releases the lock
    }
}
