package dfs.chunkserver.store;

import java.io.IOException;
import java.nio.file.Path;

/** Another chunk server already holds the lock of this storage folder; see {@link StorageLock}. */
public final class StorageInUseException extends IOException {
    StorageInUseException(Path root, Path lockFile) {
        super("storage folder " + root + " is in use by another chunk server (lock file " + lockFile
                + "); stop it first, or give this server a folder of its own with --dir");
    }
}
