package dfs.common.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.spec.SecretKeySpec;

/**
 * A 256-bit AES key held in memory: a file's data key or the master key. Its bytes never appear
 * in {@link #toString()}. Immutable and thread-safe.
 */
public final class SecretKey256 {
    static final int LENGTH = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    private final SecretKeySpec spec;

    private SecretKey256(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("an AES-256 key has 32 bytes, found " + bytes.length);
        }
        this.spec = new SecretKeySpec(bytes, "AES");
    }

    public static SecretKey256 generate() {
        byte[] b = new byte[LENGTH];
        RANDOM.nextBytes(b);
        try {
            return new SecretKey256(b);
        } finally {
            Arrays.fill(b, (byte) 0);
        }
    }

    public static SecretKey256 of(byte[] bytes) {
        return new SecretKey256(bytes);
    }

    SecretKeySpec spec() {
        return spec;
    }

    byte[] bytes() {
        return spec.getEncoded();
    }

    @Override
    public String toString() {
        return "SecretKey256[redacted]";
    }
}
