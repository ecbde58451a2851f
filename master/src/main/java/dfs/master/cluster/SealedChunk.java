package dfs.master.cluster;

import dfs.common.crypto.Sha256;
import dfs.common.wire.ChunkId;
import dfs.common.wire.Crc32c;
import java.util.Objects;

/**
 * One chunk as an upload sends it: its id, its sealed bytes, and their SHA-256 (recorded in the
 * metadata) and CRC-32C (checked by each server on arrival), computed together from the same bytes
 * before any is sent, so that bytes changed later in the master fail the servers' check. Immutable
 * by convention: the array is shared, not copied, and nothing writes to it once sealed.
 */
public record SealedChunk(ChunkId id, byte[] bytes, String sha256, String crc32c) {

    public SealedChunk {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(crc32c, "crc32c");
    }

    /** Hashes {@code sealed} both ways. */
    public static SealedChunk of(ChunkId id, byte[] sealed) {
        return new SealedChunk(id, sealed, Sha256.hex(sealed), Crc32c.hex(sealed));
    }

    public int size() {
        return bytes.length;
    }
}
