package dfs.common.config;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * The cluster credential: 32 random bytes shared through {@code dfs_setup.config}. Whoever holds
 * it can derive the cluster CA and so join the cluster. Its value never appears in
 * {@link #toString()} or in any error message. Immutable and thread-safe.
 */
public final class ClusterSecret {
    private static final int LENGTH = 32;
    private final byte[] bytes;

    private ClusterSecret(byte[] bytes) {
        this.bytes = bytes.clone();
    }

    public static ClusterSecret generate() {
        byte[] b = new byte[LENGTH];
        new SecureRandom().nextBytes(b);
        return new ClusterSecret(b);
    }

    /** Parses the base64url text form; the message of a failure never contains the text. */
    public static ClusterSecret parse(String text) {
        byte[] b;
        try {
            b = Base64.getUrlDecoder().decode(text.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cluster_secret is not valid base64url text");
        }
        if (b.length != LENGTH) {
            throw new IllegalArgumentException("cluster_secret must encode " + LENGTH + " bytes, found " + b.length);
        }
        return new ClusterSecret(b);
    }

    public String encoded() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public byte[] bytes() {
        return bytes.clone();
    }

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
