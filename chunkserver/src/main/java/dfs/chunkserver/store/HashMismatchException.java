package dfs.chunkserver.store;

import dfs.common.wire.ChunkId;
import java.io.IOException;

/** The bytes received for a chunk do not hash to the SHA-256 the sender claimed; nothing was kept. */
public final class HashMismatchException extends IOException {
    private final ChunkId id;
    private final String expected;
    private final String actual;

    HashMismatchException(ChunkId id, String expected, String actual) {
        super("chunk " + id + ": body hashes to SHA-256 " + actual + " but the sender claimed "
                + expected + "; nothing stored, resend the chunk");
        this.id = id;
        this.expected = expected;
        this.actual = actual;
    }

    public ChunkId id() {
        return id;
    }

    /** The hash the sender claimed. */
    public String expected() {
        return expected;
    }

    /** The hash of the bytes that actually arrived. */
    public String actual() {
        return actual;
    }
}
