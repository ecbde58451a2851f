package dfs.common.wire;

import java.util.List;

/** Every chunk a server holds, with its size. Immutable. */
public record ChunkListing(NodeId node, List<Entry> chunks) {
    public ChunkListing {
        chunks = List.copyOf(chunks);
    }

    /** One stored chunk. */
    public record Entry(ChunkId id, long size) {}
}
