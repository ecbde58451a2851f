package dfs.chunkserver.store;

import dfs.common.wire.ChunkId;
import java.io.IOException;

/**
 * The bytes received for a chunk do not match the SHA-256, or the CRC-32C, the sender gave with
 * them; nothing was kept.
 */
public final class HashMismatchException extends IOException {
    private final ChunkId id;
    private final String expected;
    private final String actual;

    HashMismatchException(ChunkId id, String check, String expected, String actual) {
        super("chunk " + id + ": body's " + check + " is " + actual + " but the sender gave "
                + expected + "; nothing stored, resend the chunk");
        this.id = id;
        this.expected = expected;
        this.actual = actual;
    }

    public ChunkId id() {
        return id;
    }

    /** The hash, or checksum, the sender gave. */
    public String expected() {
        return expected;
    }

    /** The same of the bytes that actually arrived. */
    public String actual() {
        return actual;
    }
}
