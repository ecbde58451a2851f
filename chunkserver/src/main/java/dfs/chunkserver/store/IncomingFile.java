package dfs.chunkserver.store;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
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
     * too unless it is null, then proves the body ends there. Does not close {@code body}.
     *
     * @throws LengthMismatchException if the body is shorter or longer than length, or breaks off
     */
    void copyBody(InputStream body, long length, ArrivalCheck check) throws IOException {
        // The body arrives a TLS record (16 KiB) per read: gather a full buffer before each
        // write, so a 4 MiB chunk costs 16 write calls rather than 256.
        byte[] buf = new byte[(int) Math.min(BUFFER_BYTES, Math.max(1, length))];
        long received = 0;
        while (received < length) {
            int want = (int) Math.min(buf.length, length - received);
            int filled = 0;
            while (filled < want) {
                int n;
                try {
                    n = body.read(buf, filled, want - filled);
                } catch (IOException e) {
                    throw LengthMismatchException.shortBody(upload, length, received + filled, e);
                }
                if (n < 0) {
                    throw LengthMismatchException.shortBody(upload, length, received + filled, null);
                }
                filled += n;
            }
            if (check != null) {
                check.update(buf, 0, filled);
            }
            write(ByteBuffer.wrap(buf, 0, filled));
            received += filled;
        }
        if (body.read() >= 0) {
            throw LengthMismatchException.longBody(upload, length);
        }
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
