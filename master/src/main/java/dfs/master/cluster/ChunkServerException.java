package dfs.master.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A chunk server could not be reached, or answered with an error. Carries the server and, when
 * it answered, the HTTP status and its error code, so callers can decide to try another replica.
 */
public class ChunkServerException extends IOException {
    private final InetSocketAddress server;
    private final int status;
    private final String code;

    public ChunkServerException(InetSocketAddress server, int status, String code, String message, Throwable cause) {
        super(message, cause);
        this.server = server;
        this.status = status;
        this.code = code;
    }

    public InetSocketAddress server() {
        return server;
    }

    /** HTTP status, or 0 when the server was not reached. */
    public int status() {
        return status;
    }

    /** The server's error code ({@code ErrorBody.error}), or "unreachable". */
    public String code() {
        return code;
    }

    /** The server was not reached at all (connect, TLS or timeout failure). */
    public boolean unreachable() {
        return status == 0;
    }

    /**
     * Whether the failure is this server's rather than the request's, so another server may well
     * succeed: unreachable, any 5xx (507, its disk is full, included), 408 (the body reached it
     * too slowly) or 499 (the exchange was cut off, as a server that is stopping answers).
     */
    public boolean serversFault() {
        return unreachable() || status / 100 == 5 || status == 408 || status == 499;
    }
}
