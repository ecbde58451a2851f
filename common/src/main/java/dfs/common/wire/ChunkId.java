package dfs.common.wire;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The name of one stored chunk: 128 random bits written as 32 lowercase hex digits.
 *
 * <p>Chunk ids are random, not derived from file names or contents, so a chunk server learns
 * nothing about the file a chunk belongs to, and chunks of different files never collide. The
 * strict format is also what keeps a chunk id from ever naming a path outside the storage folder.
 * Immutable and thread-safe.
 */
public record ChunkId(@JsonValue String hex) {
    private static final SecureRandom RANDOM = new SecureRandom();

    public ChunkId {
        if (!isValid(hex)) {
            throw new IllegalArgumentException("invalid chunk id '" + abbreviate(hex)
                    + "': expected 32 lowercase hex digits");
        }
    }

    /** Parses a chunk id, throwing {@link IllegalArgumentException} naming the bad input. */
    @JsonCreator
    public static ChunkId parse(String text) {
        return new ChunkId(text);
    }

    /** Whether {@code text} is a well-formed chunk id. */
    public static boolean isValid(String text) {
        return Hex.isLowerHex(text, 32);
    }

    /** A fresh random id. */
    public static ChunkId random() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return new ChunkId(HexFormat.of().formatHex(bytes));
    }

    @Override
    public String toString() {
        return hex;
    }

    static String abbreviate(String s) {
        if (s == null) {
            return "null";
        }
        String printable = s.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() > 80 ? printable.substring(0, 80) + "..." : printable;
    }
}
