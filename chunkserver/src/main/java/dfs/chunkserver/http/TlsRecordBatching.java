package dfs.chunkserver.http;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;

/**
 * {@link SSLEngine#unwrap} over as many whole TLS records as the buffers hold: the JDK engine
 * decrypts one record per call. Only plain data transfer is batched; a call that meets a
 * handshake message, a close, a partial record or no room for a whole one ends the batch, and the
 * caller comes back for the rest as it would after a single call. (Wrapping cannot be batched the
 * same way: the JDK engine wants a whole packet buffer free for every record it writes.)
 * Stateless.
 */
final class TlsRecordBatching {
    private TlsRecordBatching() {}

    /** Decrypts records from {@code input} into {@code output} while whole ones are there and fit. */
    static SSLEngineResult unwrap(SSLEngine engine, ByteBuffer input, ByteBuffer output) throws SSLException {
        SSLEngineResult result = engine.unwrap(input, output);
        while (isDataTransfer(result) && result.bytesProduced() > 0 && input.hasRemaining() && output.hasRemaining()) {
            SSLEngineResult next = engine.unwrap(input, output);
            if (next.bytesConsumed() == 0 && next.bytesProduced() == 0) {
                break; // a partial record, or no room for one: hand over what there is
            }
            result = combined(result, next);
        }
        return result;
    }

    private static boolean isDataTransfer(SSLEngineResult r) {
        return r.getStatus() == Status.OK && r.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING;
    }

    /**
     * Two calls as one: OK, with the bytes of both and the later handshake status. A close the
     * later call met is not lost: the engine answers CLOSED again on the next call, after the
     * caller has taken the data the earlier ones produced.
     */
    private static SSLEngineResult combined(SSLEngineResult first, SSLEngineResult next) {
        return new SSLEngineResult(Status.OK, next.getHandshakeStatus(),
                first.bytesConsumed() + next.bytesConsumed(), first.bytesProduced() + next.bytesProduced());
    }
}
