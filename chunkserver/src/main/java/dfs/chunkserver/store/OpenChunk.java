package dfs.chunkserver.store;

import dfs.common.wire.ChunkId;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.util.Objects;

/**
 * A stored chunk opened for reading: its payload, exactly {@code length} bytes from the channel's
 * position, and the SHA-256 recorded when it was stored (not re-checked on open; see
 * {@link ChunkStore#verify}). The caller must close it. Not thread-safe: one reader per instance.
 *
 * @param payload the chunk file, positioned at the first payload byte, which runs to its end
 */
public record OpenChunk(ChunkId id, long length, String sha256, FileChannel payload) implements Closeable {
    public OpenChunk {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(payload, "payload");
    }

    /** The payload as a stream (for callers that want one rather than the channel). */
    public InputStream payloadStream() {
        return Channels.newInputStream(payload);
    }

    @Override
    public void close() throws IOException {
        payload.close();
    }
}
