package dfs.common.http;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Proxy;
import java.net.Socket;

/**
 * A client socket that reads from the kernel in blocks of {@value #READ_AHEAD} bytes. TLS on top
 * of it reads each record as its 5-byte header and then its body: two system calls per 16 KiB of
 * a chunk, where one call through this buffer fetches several records. Output is not buffered:
 * TLS flushes each record itself. Its input stream must be read by one thread at a time, as TLS
 * does.
 */
final class ReadAheadSocket extends Socket {
    static final int READ_AHEAD = 64 * 1024;

    private InputStream in;
    private OutputStream out;

    ReadAheadSocket(Proxy proxy) {
        super(proxy == null ? Proxy.NO_PROXY : proxy);
    }

    @Override
    public synchronized InputStream getInputStream() throws IOException {
        if (in == null) {
            in = new BufferedInputStream(super.getInputStream(), READ_AHEAD);
        }
        return in;
    }

    @Override
    public synchronized OutputStream getOutputStream() throws IOException {
        if (out == null) {
            out = new OutputCork.Batching(super.getOutputStream());
        }
        return out;
    }
}
