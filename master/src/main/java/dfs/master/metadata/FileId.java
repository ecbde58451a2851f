package dfs.master.metadata;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
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
        if (!isHex(hex)) {
            throw new IllegalArgumentException("invalid file id '" + FileNames.printable(hex)
                    + "': expected 32 lowercase hex digits");
        }
    }

    /** {@code [0-9a-f]{32}}, without a regex: the store checks every id it loads. */
    private static boolean isHex(String text) {
        if (text == null || text.length() != 32) {
            return false;
        }
        for (int i = 0; i < 32; i++) {
            char c = text.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
                return false;
            }
        }
        return true;
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
