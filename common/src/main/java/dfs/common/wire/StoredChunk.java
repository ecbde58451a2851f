package dfs.common.wire;

import java.util.Objects;

/** A chunk server's answer to a store: what it now holds. Immutable. */
public record StoredChunk(ChunkId id, long size, String sha256) {
    public StoredChunk {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sha256, "sha256");
        if (size < 0) {
            throw new IllegalArgumentException("negative chunk size " + size);
        }
    }
}
