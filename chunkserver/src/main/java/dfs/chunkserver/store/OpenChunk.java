package dfs.chunkserver.store;

import dfs.common.wire.ChunkId;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * A stored chunk opened for reading: its payload as a stream of exactly {@code length} bytes and
 * the SHA-256 recorded when it was stored (not re-checked on open; see {@link ChunkStore#verify}).
 * The caller must close it. Not thread-safe: one reader per instance.
 */
public record OpenChunk(ChunkId id, long length, String sha256, InputStream payload) implements Closeable {
    public OpenChunk {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(payload, "payload");
    }

    @Override
    public void close() throws IOException {
        payload.close();
    }
}
