package dfs.master.repair;

import dfs.common.wire.ChunkId;
import dfs.common.wire.NodeId;
import java.util.Objects;
import java.util.Optional;

/**
 * A chunk a live server holds without being recorded for it: an extra copy of a file's chunk
 * (left by a server that was away while the chunk was re-replicated) or an orphan that no file
 * refers to. Immutable.
 *
 * @param node the server holding it
 * @param chunk the chunk
 * @param file the file the chunk belongs to; empty for an orphan
 */
public record StrayCopy(NodeId node, ChunkId chunk, Optional<String> file) {
    public StrayCopy {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(chunk, "chunk");
        Objects.requireNonNull(file, "file");
    }

    public boolean orphan() {
        return file.isEmpty();
    }
}
