package dfs.common.wire;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Who a cluster's master is: 128 bits written as 32 lowercase hex digits, kept with the master key
 * ({@code dfs.common.crypto.MasterKey#id()}) and the same through key rotations. Each metadata copy
 * a chunk server holds is marked with the id of the master that sent it, so that a second master,
 * with a key and files of its own, sees the first one's copies and neither replaces them nor takes
 * the first one's chunks for orphans. Not a secret. Immutable and thread-safe.
 */
public record MasterId(@JsonValue String hex) {
    private static final SecureRandom RANDOM = new SecureRandom();

    public MasterId {
        if (!isValid(hex)) {
            throw new IllegalArgumentException("invalid master id '" + ChunkId.abbreviate(hex)
                    + "': expected 32 lowercase hex digits");
        }
    }

    /** Parses a master id, throwing {@link IllegalArgumentException} naming the bad input. */
    @JsonCreator
    public static MasterId parse(String text) {
        return new MasterId(text);
    }

    /** Whether {@code text} is a well-formed master id. */
    public static boolean isValid(String text) {
        return Hex.isLowerHex(text, 32);
    }

    /** A fresh random id. */
    public static MasterId random() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return of(bytes);
    }

    /** The id whose 16 bytes are {@code bytes}. */
    public static MasterId of(byte[] bytes) {
        if (bytes.length != 16) {
            throw new IllegalArgumentException("a master id is 16 bytes, got " + bytes.length);
        }
        return new MasterId(HexFormat.of().formatHex(bytes));
    }

    @Override
    public String toString() {
        return hex;
    }
}
