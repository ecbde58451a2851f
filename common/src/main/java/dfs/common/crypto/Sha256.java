package dfs.common.crypto;

import dfs.common.wire.Hex;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 through the JDK (hardware SHA extensions where the CPU has them). Stateless. */
public final class Sha256 {

    private Sha256() {}

    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    public static String hex(byte[] data) {
        return hex(data, 0, data.length);
    }

    public static String hex(byte[] data, int off, int len) {
        MessageDigest md = newDigest();
        md.update(data, off, len);
        return HexFormat.of().formatHex(md.digest());
    }

    public static String hex(MessageDigest finished) {
        return HexFormat.of().formatHex(finished.digest());
    }

    /** Whether {@code text} is a lowercase hex SHA-256. */
    public static boolean isHex(String text) {
        return Hex.isLowerHex(text, 64);
    }
}
