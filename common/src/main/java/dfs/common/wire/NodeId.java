package dfs.common.wire;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The stable identity of one chunk server: 16 lowercase hex digits, created once and kept in the
 * server's storage folder, so a server keeps its identity across restarts and address changes.
 * Immutable and thread-safe.
 */
public record NodeId(@JsonValue String hex) {
    private static final SecureRandom RANDOM = new SecureRandom();

    public NodeId {
        if (!Hex.isLowerHex(hex, 16)) {
            throw new IllegalArgumentException("invalid node id '" + ChunkId.abbreviate(hex)
                    + "': expected 16 lowercase hex digits");
        }
    }

    @JsonCreator
    public static NodeId parse(String text) {
        return new NodeId(text);
    }

    public static NodeId random() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return new NodeId(HexFormat.of().formatHex(bytes));
    }

    @Override
    public String toString() {
        return hex;
    }
}
