package dfs.chunkserver.store;

import dfs.common.wire.StoredChunk;
import java.util.Objects;

/**
 * The outcome of {@link ChunkStore#put}: what is now stored, and whether the same bytes were
 * already there before (an idempotent repeat) or were stored by this call. Immutable.
 */
public record PutResult(StoredChunk chunk, boolean existed) {
    public PutResult {
        Objects.requireNonNull(chunk, "chunk");
    }
}
