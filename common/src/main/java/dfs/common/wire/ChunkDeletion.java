package dfs.common.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * Chunks to delete in one request ({@code POST /v1/chunk-deletions}): the chunks of deleted
 * files, a thousand at a time, so a chunk server forces each of its folders to disk once per
 * request rather than once per chunk. Immutable.
 */
public record ChunkDeletion(List<ChunkId> ids) {
    /** The most ids one request may name. */
    public static final int MAX_IDS = 1000;

    public ChunkDeletion {
        if (ids == null || ids.isEmpty() || ids.size() > MAX_IDS) {
            throw new IllegalArgumentException("a chunk deletion names 1 to " + MAX_IDS + " chunk ids, not "
                    + (ids == null ? "none" : ids.size()));
        }
        ids = List.copyOf(ids);
    }

    /**
     * What a chunk server did, once every deletion is durable: how many of the named chunks it
     * deleted, and how many it did not hold. A newer server may add fields; they are ignored.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Result(int deleted, int absent) {}
}
