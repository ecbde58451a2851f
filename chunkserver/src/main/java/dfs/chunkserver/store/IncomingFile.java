package dfs.chunkserver.store;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A temporary file being filled from a request body of declared length: it takes exactly that many
 * bytes and then reads once more to prove the body ends there, and a write that fails on a nearly
 * full disk is reported as {@link DiskFullException}. The caller forces, commits or removes the
 * file. Not thread-safe: one per put.
 */
final class IncomingFile implements Closeable {
    private static final int BUFFER_BYTES = 256 * 1024;
    /** Direct buffers for bodies read straight from the server: a few PUTs' worth kept idle. */
    private static final DirectBuffers BUFFERS = new DirectBuffers(BUFFER_BYTES, 16);

    private final FileChannel out;
    private final long fileBytes;
    private final Upload upload;
    private final DiskSpace space;

    private IncomingFile(FileChannel out, long fileBytes, Upload upload, DiskSpace space) {
        this.out = out;
        this.fileBytes = fileBytes;
        this.upload = upload;
        this.space = space;
    }

    /**
     * Opens the existing temporary file {@code tmp} for writing, emptying it (it may be a reused
     * file, see {@link RecycledFiles}).
     *
     * @param fileBytes the size the file has once complete, for the disk-full check of a failed write
     */
    static IncomingFile open(Path tmp, long fileBytes, Upload upload, DiskSpace space) throws IOException {
        return new IncomingFile(FileChannel.open(tmp, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING), fileBytes, upload, space);
    }

    /** Writes all of {@code buf}; a failure on a nearly full disk is reported as such. */
    void write(ByteBuffer buf) throws IOException {
        try {
            while (buf.hasRemaining()) {
                out.write(buf);
            }
        } catch (IOException e) {
            space.require(upload, fileBytes - out.size(), e);
            throw e;
        }
    }

    /**
     * Appends exactly {@code length} bytes of {@code body}, passing them through {@code check}
     * too unless it is null, then proves the body ends there. Does not close {@code body}. A body
     * that is also a {@link ReadableByteChannel} (a request's, straight from the server) is read
     * into direct buffers, which go to the file as they are; any other through an array.
     *
     * @throws LengthMismatchException if the body is shorter or longer than length, or breaks off
     */
    void copyBody(InputStream body, long length, ArrivalCheck check) throws IOException {
        if (body instanceof ReadableByteChannel channel) {
            ByteBuffer buf = BUFFERS.take();
            try {
                copy(body, channel, buf, length, check);
            } finally {
                BUFFERS.give(buf); // every read and write into it has returned, even after a failure
            }
        } else {
            copy(body, null, ByteBuffer.allocate((int) Math.min(BUFFER_BYTES, Math.max(1, length))), length, check);
        }
        if (body.read() >= 0) {
            throw LengthMismatchException.longBody(upload, length);
        }
    }

    /** Appends {@code length} bytes of {@code body}, read through {@code channel} unless it is null. */
    private void copy(InputStream body, ReadableByteChannel channel, ByteBuffer buf, long length, ArrivalCheck check)
            throws IOException {
        // The body arrives a TLS record (16 KiB) or a few per read: gather a full buffer before
        // each write, so a 4 MiB chunk costs 16 write calls rather than 256.
        long received = 0;
        while (received < length) {
            buf.clear().limit((int) Math.min(buf.capacity(), length - received));
            while (buf.hasRemaining()) {
                int n;
                try {
                    n = channel != null ? channel.read(buf) : readArray(body, buf);
                } catch (IOException e) {
                    throw LengthMismatchException.shortBody(upload, length, received + buf.position(), e);
                }
                if (n < 0) {
                    throw LengthMismatchException.shortBody(upload, length, received + buf.position(), null);
                }
            }
            buf.flip();
            if (check != null) {
                check.update(buf);
            }
            received += buf.remaining();
            write(buf);
        }
    }

    /** Reads from {@code body} into the heap buffer {@code buf}, as {@link ReadableByteChannel#read} does. */
    private static int readArray(InputStream body, ByteBuffer buf) throws IOException {
        int n = body.read(buf.array(), buf.arrayOffset() + buf.position(), buf.remaining());
        if (n > 0) {
            buf.position(buf.position() + n);
        }
        return n;
    }

    /** Forces what was written to the disk. */
    void force() throws IOException {
        out.force(true);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
