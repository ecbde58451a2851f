package dfs.chunkserver.store;

import dfs.common.wire.ChunkId;
import java.io.IOException;

/** A different, intact chunk is already stored under the same id; the offered bytes were not kept. */
public final class ChunkConflictException extends IOException {
    private final ChunkId id;
    private final String storedSha256;
    private final String offeredSha256;

    ChunkConflictException(ChunkId id, String storedSha256, String offeredSha256) {
        super("chunk " + id + " is already stored with SHA-256 " + storedSha256 + ", not the offered "
                + offeredSha256 + "; chunk ids must be unique, store the new bytes under a fresh id");
        this.id = id;
        this.storedSha256 = storedSha256;
        this.offeredSha256 = offeredSha256;
    }

    public ChunkId id() {
        return id;
    }

    public String storedSha256() {
        return storedSha256;
    }

    public String offeredSha256() {
        return offeredSha256;
    }
}
