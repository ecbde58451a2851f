package dfs.chunkserver.store;

import dfs.common.wire.ChunkId;
import java.io.IOException;

/** A chunk is larger than a chunk server accepts ({@code Protocol.MAX_CHUNK_BYTES}). */
public final class ChunkTooLargeException extends IOException {
    private final ChunkId id;
    private final long length;
    private final long maxLength;

    ChunkTooLargeException(ChunkId id, long length, long maxLength) {
        super("chunk " + id + " is " + length + " bytes, more than the " + maxLength
                + " bytes a chunk server accepts; use a smaller chunk size");
        this.id = id;
        this.length = length;
        this.maxLength = maxLength;
    }

    public ChunkId id() {
        return id;
    }

    public long length() {
        return length;
    }

    public long maxLength() {
        return maxLength;
    }
}
