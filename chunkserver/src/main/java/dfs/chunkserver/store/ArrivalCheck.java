package dfs.chunkserver.store;

import dfs.common.crypto.Sha256;
import dfs.common.wire.Crc32c;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.function.Supplier;
import java.util.zip.CRC32C;

/**
 * What a chunk body is checked against while it is stored: the sender's CRC-32C when it gave one,
 * otherwise the SHA-256 it claims (see {@code Protocol.CRC32C_HEADER}). Not thread-safe: one per put.
 */
final class ArrivalCheck {
    @FunctionalInterface
    private interface Update {
        /** Takes in the bytes from the buffer's position to its limit, and moves its position there. */
        void update(ByteBuffer bytes);
    }

    private final String name;
    private final String expected;
    private final Update update;
    private final Supplier<String> actual;

    private ArrivalCheck(String name, String expected, Update update, Supplier<String> actual) {
        this.name = name;
        this.expected = expected;
        this.update = update;
        this.actual = actual;
    }

    static ArrivalCheck sha256(String expectedHex) {
        MessageDigest digest = Sha256.newDigest();
        return new ArrivalCheck("SHA-256", expectedHex, digest::update, () -> Sha256.hex(digest));
    }

    static ArrivalCheck crc32c(String expectedHex) {
        CRC32C crc = new CRC32C();
        return new ArrivalCheck("CRC-32C", expectedHex, crc::update, () -> Crc32c.hex(crc));
    }

    /** Takes in the bytes from {@code bytes}' position to its limit; leaves the buffer as it was. */
    void update(ByteBuffer bytes) {
        update.update(bytes.duplicate());
    }

    /** The lowercase hex value of everything passed to {@link #update}; call once, at the end. */
    String actual() {
        return actual.get();
    }

    /** The check's name in messages: {@code SHA-256} or {@code CRC-32C}. */
    String name() {
        return name;
    }

    String expected() {
        return expected;
    }
}
