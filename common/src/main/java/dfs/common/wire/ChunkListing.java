package dfs.common.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * Every chunk a server holds, with its size. Immutable.
 * A newer server may answer with more fields; they are ignored, so a master of an older version
 * still reads the fields it knows.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChunkListing(NodeId node, List<Entry> chunks) {
    public ChunkListing {
        chunks = List.copyOf(chunks);
    }

    /** One stored chunk. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Entry(ChunkId id, long size) {}
}
