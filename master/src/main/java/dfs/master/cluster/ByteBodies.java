package dfs.master.cluster;

import dfs.common.wire.Protocol;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.IntFunction;
import org.apache.hc.core5.http.HttpEntity;

/**
 * Response bodies read without extra copies: a chunk into one array sized by its Content-Length,
 * filled by reads that go from the connection's stream straight into it.
 */
final class ByteBodies {
    private ByteBodies() {}

    /** Why a chunk body was refused before reading it; null when its announced length is acceptable. */
    static String refusal(HttpEntity body) {
        return refusal(body, Protocol.MAX_CHUNK_BYTES, "a chunk");
    }

    /** Why a body of at most {@code max} bytes ({@code what} can have) was refused; null when acceptable. */
    static String refusal(HttpEntity body, long max, String what) {
        long announced = body == null ? -1 : body.getContentLength();
        if (announced < 0) {
            return "without a Content-Length";
        }
        if (announced > max) {
            return "announcing " + announced + " bytes, above the " + max + " " + what + " can have";
        }
        return null;
    }

    /**
     * Reads a body whose length {@link #refusal} accepted into one array of exactly that length,
     * taken from {@code buffers}.
     *
     * @throws EOFException if the body ends before its announced length
     */
    static byte[] exactly(HttpEntity body, IntFunction<byte[]> buffers) throws IOException {
        int length = Math.toIntExact(body.getContentLength());
        byte[] data = buffers.apply(length);
        if (data.length != length) {
            throw new IllegalArgumentException("a buffer of " + data.length + " bytes for a body of " + length);
        }
        try (InputStream in = body.getContent()) {
            int filled = 0;
            while (filled < data.length) {
                int n = in.read(data, filled, data.length - filled);
                if (n < 0) {
                    throw new EOFException("body ended after " + filled + " of the " + data.length + " bytes announced");
                }
                filled += n;
            }
        }
        return data;
    }

    /**
     * At most {@code limit} bytes of a body (an error answer, say). The stream is left open, so
     * the rest is not drained: the caller refuses the answer, which closes the connection.
     */
    static byte[] upTo(HttpEntity body, int limit) throws IOException {
        return body == null ? new byte[0] : body.getContent().readNBytes(limit);
    }
}
