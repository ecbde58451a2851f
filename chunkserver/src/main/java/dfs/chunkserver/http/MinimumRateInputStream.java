package dfs.chunkserver.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.function.LongSupplier;
import org.eclipse.jetty.ee10.servlet.HttpInput;

/**
 * An upload body that must keep up a minimum average rate once a grace period is over, so a client
 * trickling a byte now and then, always just inside the idle timeout, cannot hold a connection and
 * a thread forever. Checked on every read that returns data (a read that blocks is the idle
 * timeout's business). The grace period spares small bodies: Jetty's own minimum data rate counts
 * from the first byte and so refuses a one-byte body whose end-of-stream read comes a millisecond
 * late. Refusal is an {@link ApiException} 408 (the store removes the partial file).
 *
 * <p>It is also a {@link ReadableByteChannel}: over a Jetty request body it fills a buffer straight
 * from the content Jetty holds, so a direct buffer can go on to a file with no copy between (the
 * JDK copies a byte array through a direct buffer of its own to write it). Over any other stream
 * it reads through an array. Not thread-safe, like any stream.
 */
final class MinimumRateInputStream extends FilterInputStream implements ReadableByteChannel {
    private final long bytesPerSecond;
    private final long graceNanos;
    private final LongSupplier nanoTime;
    private final long start;
    private final String what;
    private long received;
    private boolean closed;

    MinimumRateInputStream(InputStream in, long bytesPerSecond, long graceNanos, LongSupplier nanoTime, String what) {
        super(in);
        this.bytesPerSecond = bytesPerSecond;
        this.graceNanos = graceNanos;
        this.nanoTime = nanoTime;
        this.start = nanoTime.getAsLong();
        this.what = what;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            account(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        if (n > 0) {
            account(n);
        }
        return n;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int n;
        if (in instanceof HttpInput jetty) {
            n = jetty.read(dst);
        } else {
            byte[] bytes = new byte[Math.min(dst.remaining(), 64 * 1024)];
            n = in.read(bytes);
            if (n > 0) {
                dst.put(bytes, 0, n);
            }
        }
        if (n > 0) {
            account(n);
        }
        return n;
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        super.close();
    }

    private void account(int n) {
        received += n;
        long late = nanoTime.getAsLong() - start - graceNanos;
        if (late > 0 && received < bytesPerSecond * (late / 1_000_000) / 1000) {
            throw new ApiException(408, "upload_too_slow", what + " arrived at less than " + bytesPerSecond
                    + " bytes/s on average (" + received + " bytes so far); cut, nothing stored");
        }
    }
}
