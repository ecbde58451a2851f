package dfs.master.metadata;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dfs.common.wire.Hex;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The identity of one uploaded file version: 128 random bits written as 32 lowercase hex digits.
 *
 * <p>A file keeps its name across a re-upload but gets a new id, so anything keyed by id (keys,
 * chunk ownership in logs) never confuses two versions of one name. Travels in JSON as a plain
 * string. Immutable and thread-safe.
 */
public record FileId(@JsonValue String hex) {
    private static final SecureRandom RANDOM = new SecureRandom();

    public FileId {
        if (!Hex.isLowerHex(hex, 32)) {
            throw new IllegalArgumentException("invalid file id '" + FileNames.printable(hex)
                    + "': expected 32 lowercase hex digits");
        }
    }

    /** Parses a file id, throwing {@link IllegalArgumentException} naming the bad input. */
    @JsonCreator
    public static FileId parse(String text) {
        return new FileId(text);
    }

    /** A fresh random id. */
    public static FileId random() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return new FileId(HexFormat.of().formatHex(bytes));
    }

    @Override
    public String toString() {
        return hex;
    }
}
