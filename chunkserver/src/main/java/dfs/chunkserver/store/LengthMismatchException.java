package dfs.chunkserver.store;

import dfs.common.wire.ChunkId;
import java.io.IOException;

/**
 * The body of a chunk was shorter or longer than its declared length, or broke off while being
 * read (a client that went away or stalled past the idle timeout); nothing was kept.
 */
public final class LengthMismatchException extends IOException {
    private final ChunkId id;
    private final long expectedBytes;
    private final long receivedBytes;

    private LengthMismatchException(ChunkId id, long expectedBytes, long receivedBytes,
            String message, Throwable cause) {
        super(message, cause);
        this.id = id;
        this.expectedBytes = expectedBytes;
        this.receivedBytes = receivedBytes;
    }

    /** The body ended (or, with a cause, failed) after {@code received} of {@code expected} bytes. */
    static LengthMismatchException shortBody(ChunkId id, long expected, long received, Throwable cause) {
        String how = cause == null ? "ended" : "broke off (" + cause + ")";
        return new LengthMismatchException(id, expected, received, "chunk " + id + ": body " + how
                + " after " + received + " of the declared " + expected + " bytes; nothing stored",
                cause);
    }

    /** The body went on past its declared length. */
    static LengthMismatchException longBody(ChunkId id, long expected) {
        return new LengthMismatchException(id, expected, expected + 1, "chunk " + id
                + ": body is longer than the declared " + expected + " bytes; nothing stored", null);
    }

    public ChunkId id() {
        return id;
    }

    public long expectedBytes() {
        return expectedBytes;
    }

    /** Bytes received; {@code expectedBytes() + 1} means "more than declared". */
    public long receivedBytes() {
        return receivedBytes;
    }
}
