package dfs.common.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Objects;

/**
 * A chunk server's answer to a store: what it now holds and, when asked to forward the chunk
 * ({@link Protocol#FORWARD_HEADER}), which of the named servers hold it too. Immutable.
 * A newer server may answer with more fields; they are ignored, so a master of an older version
 * still reads the fields it knows.
 *
 * @param forwardedTo the forward hops that stored the chunk, a prefix of those asked for
 * @param forwardFailure why the chain stopped short, when it did; absent otherwise
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StoredChunk(ChunkId id, long size, String sha256, List<NodeId> forwardedTo, String forwardFailure) {
    public StoredChunk {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sha256, "sha256");
        if (size < 0) {
            throw new IllegalArgumentException("negative chunk size " + size);
        }
        forwardedTo = forwardedTo == null ? List.of() : List.copyOf(forwardedTo);
    }

    /** A chunk stored here, with nothing forwarded. */
    public StoredChunk(ChunkId id, long size, String sha256) {
        this(id, size, sha256, List.of(), null);
    }

    /** This answer, also reporting what forwarding achieved. */
    public StoredChunk forwarded(List<NodeId> to, String failure) {
        return new StoredChunk(id, size, sha256, to, failure);
    }
}
