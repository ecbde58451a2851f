package dfs.chunkserver.store;

import java.io.IOException;

/**
 * The body of a chunk or of the metadata copy was shorter or longer than its declared length, or
 * broke off while being read (a client that went away or stalled past the idle timeout); nothing
 * was kept.
 */
public final class LengthMismatchException extends IOException {
    private final long expectedBytes;
    private final long receivedBytes;

    private LengthMismatchException(long expectedBytes, long receivedBytes, String message, Throwable cause) {
        super(message, cause);
        this.expectedBytes = expectedBytes;
        this.receivedBytes = receivedBytes;
    }

    /** The body ended (or, with a cause, failed) after {@code received} of {@code expected} bytes. */
    static LengthMismatchException shortBody(Upload upload, long expected, long received, Throwable cause) {
        String how = cause == null ? "ended" : "broke off (" + cause + ")";
        return new LengthMismatchException(expected, received, upload.name() + ": body " + how
                + " after " + received + " of the declared " + expected + " bytes; nothing stored", cause);
    }

    /** The body went on past its declared length. */
    static LengthMismatchException longBody(Upload upload, long expected) {
        return new LengthMismatchException(expected, expected + 1, upload.name()
                + ": body is longer than the declared " + expected + " bytes; nothing stored", null);
    }

    public long expectedBytes() {
        return expectedBytes;
    }

    /** Bytes received; {@code expectedBytes() + 1} means "more than declared". */
    public long receivedBytes() {
        return receivedBytes;
    }
}
