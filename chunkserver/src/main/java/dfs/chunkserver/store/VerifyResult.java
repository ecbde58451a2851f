package dfs.chunkserver.store;

import dfs.common.wire.ChunkId;
import java.util.Objects;

/**
 * What re-reading a stored chunk found. Immutable.
 *
 * @param detail one line for a person: why a chunk is corrupt or missing, empty when ok
 */
public record VerifyResult(ChunkId id, Status status, String detail) {
    /** The state of a stored chunk. */
    public enum Status {
        /** The payload hashes to the recorded SHA-256 and has the recorded length. */
        OK,
        /** The file exists but its header, length or payload hash is wrong. */
        CORRUPT,
        /** No file for this id. */
        MISSING
    }

    public VerifyResult {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
    }

    static VerifyResult ok(ChunkId id) {
        return new VerifyResult(id, Status.OK, "");
    }

    static VerifyResult missing(ChunkId id) {
        return new VerifyResult(id, Status.MISSING, "no stored chunk " + id);
    }

    static VerifyResult corrupt(ChunkId id, String detail) {
        return new VerifyResult(id, Status.CORRUPT, detail);
    }
}
