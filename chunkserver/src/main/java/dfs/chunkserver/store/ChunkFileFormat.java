package dfs.chunkserver.store;

import dfs.common.wire.ChunkId;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The byte layout of one chunk file, version 1 (documented in FORMAT.md at the repository root):
 *
 * <pre>
 * offset size  field
 *      0    4  magic "DFSC"
 *      4    2  format version, big-endian (1)
 *      6    2  flags, must be 0
 *      8    8  payload length in bytes, big-endian
 *     16   16  chunk id (the 128 bits the file is named after)
 *     32   32  SHA-256 of the payload
 *     64    n  payload: the sealed bytes exactly as received
 * </pre>
 *
 * The chunk id is repeated inside the file so a file renamed or copied to the wrong place is
 * recognised as corrupt rather than served under the wrong name. Stateless and thread-safe.
 */
final class ChunkFileFormat {
    static final int VERSION = 1;
    static final int HEADER_BYTES = 64;
    private static final byte[] MAGIC = {'D', 'F', 'S', 'C'};
    private static final HexFormat HEX = HexFormat.of();

    private ChunkFileFormat() {}

    /** What a chunk file's header records. */
    record Header(ChunkId id, long length, String sha256) {}

    static ByteBuffer encode(ChunkId id, long length, String sha256Hex) {
        ByteBuffer buf = ByteBuffer.allocate(HEADER_BYTES);
        buf.put(MAGIC).putShort((short) VERSION).putShort((short) 0).putLong(length);
        buf.put(HEX.parseHex(id.hex()));
        buf.put(HEX.parseHex(sha256Hex));
        return buf.flip();
    }

    /**
     * Reads and checks the header of {@code file} (open as {@code ch}), which should hold chunk
     * {@code expected}. Leaves the channel's position undefined.
     *
     * @throws CorruptChunkException if the header is short, of an unknown format, or names
     *     another chunk
     */
    static Header read(FileChannel ch, Path file, ChunkId expected) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(HEADER_BYTES);
        try {
            readFully(ch, buf, 0);
        } catch (EOFException e) {
            throw new CorruptChunkException(expected, file, "file is shorter than its "
                    + HEADER_BYTES + "-byte header");
        }
        buf.flip();
        byte[] magic = new byte[MAGIC.length];
        buf.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new CorruptChunkException(expected, file, "not a chunk file (bad magic bytes)");
        }
        int version = Short.toUnsignedInt(buf.getShort());
        int flags = Short.toUnsignedInt(buf.getShort());
        if (version != VERSION || flags != 0) {
            throw new CorruptChunkException(expected, file, "unsupported format version "
                    + version + " flags " + flags + " (this server reads version " + VERSION + ")");
        }
        long length = buf.getLong();
        if (length < 0) {
            throw new CorruptChunkException(expected, file, "negative payload length " + length);
        }
        byte[] id = new byte[16];
        buf.get(id);
        ChunkId recorded = new ChunkId(HEX.formatHex(id));
        if (!recorded.equals(expected)) {
            throw new CorruptChunkException(expected, file, "header names chunk " + recorded);
        }
        byte[] sha = new byte[32];
        buf.get(sha);
        return new Header(recorded, length, HEX.formatHex(sha));
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new EOFException();
            }
            pos += n;
        }
    }
}
