package dfs.common.config;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * The cluster's shared secret: 32 random bytes, written by {@code ./dfs init} into
 * {@code dfs_setup.config} as 43 base64url characters without padding. Everything that proves
 * membership of the cluster derives from it, so the value never appears in {@link #toString()},
 * in exception messages or in logs. Immutable and thread-safe.
 */
public final class ClusterSecret {
    /** Length of the secret in bytes. */
    public static final int BYTES = 32;
    /** Length of its text form: 32 bytes in unpadded base64url. */
    public static final int ENCODED_LENGTH = 43;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] bytes;

    private ClusterSecret(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A new secret from a strong random source. */
    public static ClusterSecret generate() {
        byte[] b = new byte[BYTES];
        RANDOM.nextBytes(b);
        return new ClusterSecret(b);
    }

    /**
     * Reads the text form written by {@link #encoded()}.
     *
     * @throws IllegalArgumentException saying what is wrong with the text, without repeating it
     */
    public static ClusterSecret parse(String text) {
        String problem = problemWith(text);
        if (problem != null) {
            throw new IllegalArgumentException("invalid cluster secret: " + problem);
        }
        return new ClusterSecret(Base64.getUrlDecoder().decode(text));
    }

    /**
     * What is wrong with a candidate text form, or null if it is a valid secret. Describes only
     * the shape (length, alphabet), never the characters themselves.
     */
    static String problemWith(String text) {
        String expected = "expected " + ENCODED_LENGTH + " base64url characters (A-Z a-z 0-9 - _)"
                + " as written by './dfs init'";
        if (text == null || text.length() != ENCODED_LENGTH) {
            return expected + ", found " + (text == null ? 0 : text.length()) + " characters";
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_';
            if (!ok) {
                return expected + ", found a character outside that alphabet at position " + (i + 1);
            }
        }
        // 43 characters carry 258 bits; the last 2 must be zero or two texts would name one secret.
        byte[] decoded = Base64.getUrlDecoder().decode(text);
        if (!Base64.getUrlEncoder().withoutPadding().encodeToString(decoded).equals(text)) {
            return expected + ", found a last character that no 32-byte secret produces";
        }
        return null;
    }

    /** The text form: 43 base64url characters without padding. Handle it as the secret it is. */
    public String encoded() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A fresh copy of the 32 bytes; the caller should clear it when done. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Compares in constant time, so equality checks do not leak the secret through timing. */
    @Override
    public boolean equals(Object o) {
        return o instanceof ClusterSecret other && MessageDigest.isEqual(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "ClusterSecret[redacted]";
    }
}
