package dfs.chunkserver.store;

import dfs.common.wire.ChunkId;
import java.io.IOException;
import java.nio.file.Path;

/** A stored chunk file cannot be read as the chunk it is named after. */
public final class CorruptChunkException extends IOException {
    private final ChunkId id;
    private final String detail;

    CorruptChunkException(ChunkId id, Path file, String detail) {
        super("chunk " + id + " in " + file + " is corrupt: " + detail
                + "; delete it and re-replicate it from another server");
        this.id = id;
        this.detail = detail;
    }

    /** What is wrong with the file, without the advice. */
    String detail() {
        return detail;
    }

    public ChunkId id() {
        return id;
    }
}
