package dfs.common.http;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Gathers the TLS records a request body is written as into large socket writes. TLS writes and
 * flushes every record (16 KiB) by itself: one system call, one TCP segment and, at the other
 * end, one wake-up of the reading thread each. While a thread writes a body {@link #around} this
 * cork (every request body of {@link ClusterHttpClient}, through {@link CorkedBody}), the socket
 * streams of {@link ReadAheadSocket} hold back what it writes until {@value #BATCH} bytes are
 * gathered, and send the rest when the body is written.
 */
final class OutputCork {
    /** Bytes gathered before a socket write while corked: about four full TLS records. */
    static final int BATCH = 64 * 1024;

    /**
     * The type of the records held back. A TLS 1.3 handshake begins with a plain handshake
     * record (22) and then waits for the server's answer, so a handshake started by a corked
     * write goes out at once instead of waiting for bytes that never come.
     */
    private static final byte APPLICATION_DATA = 23;

    private static final ThreadLocal<List<Batching>> CORKED = new ThreadLocal<>();

    private OutputCork() {}

    /** Writes a body. */
    @FunctionalInterface
    interface Body {
        void writeTo() throws IOException;
    }

    /**
     * Runs {@code body} with this thread's socket writes gathered, then sends what is left of
     * them. Nested use gathers into the outermost.
     */
    static void around(Body body) throws IOException {
        if (CORKED.get() != null) {
            body.writeTo();
            return;
        }
        List<Batching> touched = new ArrayList<>(1);
        CORKED.set(touched);
        IOException failure = null;
        try {
            body.writeTo();
        } catch (IOException e) {
            failure = e;
        } finally {
            CORKED.remove();
            for (Batching stream : touched) {
                try {
                    stream.flush();
                } catch (IOException e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * A socket's output stream under TLS, which writes each record in one call: writes pass
     * through at once, unless the writing thread is corked and the write is an application data
     * record, then they are gathered into {@value #BATCH}-byte writes. Thread-safe, and keeps
     * the order of writes from several threads (one sends a TLS alert while another's records
     * wait, say).
     */
    static final class Batching extends OutputStream {
        private final OutputStream socket;
        private byte[] buf; // allocated at the first corked write: most connections never carry a body
        private int count;

        Batching(OutputStream socket) {
            this.socket = socket;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            List<Batching> corked = CORKED.get();
            if (corked == null || len == 0 || b[off] != APPLICATION_DATA) {
                drain();
                socket.write(b, off, len);
                return;
            }
            if (!corked.contains(this)) {
                corked.add(this);
            }
            if (buf == null) {
                buf = new byte[BATCH];
            }
            while (len > 0) {
                int n = Math.min(len, BATCH - count);
                System.arraycopy(b, off, buf, count, n);
                count += n;
                off += n;
                len -= n;
                if (count == BATCH) {
                    drain();
                }
            }
        }

        /** Sends what was gathered, unless the writing thread is corked. */
        @Override
        public synchronized void flush() throws IOException {
            if (CORKED.get() == null) {
                drain();
                socket.flush();
            }
        }

        private void drain() throws IOException {
            if (count > 0) {
                int n = count;
                count = 0;
                socket.write(buf, 0, n);
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
