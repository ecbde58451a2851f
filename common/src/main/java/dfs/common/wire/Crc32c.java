package dfs.common.wire;

import java.util.HexFormat;
import java.util.zip.CRC32C;

/**
 * CRC-32C (Castagnoli) of a chunk's bytes, written as 8 lowercase hex digits: the check a chunk
 * server makes on arrival when the sender gives one ({@link Protocol#CRC32C_HEADER}). The JDK
 * computes it with the CPU's carry-less multiply, at a small fraction of SHA-256's cost. It guards
 * the bytes between the sender's hashing and the server's disk against accidents (a buffer reused
 * too early, a bug on the receiving path); it is no defence against a sender that lies, which is
 * why the SHA-256 the server records stays the sender's claim, checked where it matters (see
 * {@link Protocol#VERIFY_QUERY}). Stateless.
 */
public final class Crc32c {

    private Crc32c() {}

    public static String hex(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        return hex(crc);
    }

    public static String hex(CRC32C finished) {
        return HexFormat.of().toHexDigits((int) finished.getValue());
    }

    /** Whether {@code text} is a CRC-32C as the protocol writes it: 8 lowercase hex digits. */
    public static boolean isHex(String text) {
        return Hex.isLowerHex(text, 8);
    }
}
