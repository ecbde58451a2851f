package dfs.master.metadata;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Another master (another process, or another store in this one) already holds the metadata
 * file's lock. Two writers would interleave their journals and lose each other's changes.
 */
public class MetadataInUseException extends IOException {
    private final transient Path lockFile;

    public MetadataInUseException(Path metadataFile, Path lockFile) {
        super("metadata file " + metadataFile + " is in use by another dfs master (lock file "
                + lockFile + "); stop it first");
        this.lockFile = lockFile;
    }

    /** The lock file that is held. */
    public Path lockFile() {
        return lockFile;
    }
}
