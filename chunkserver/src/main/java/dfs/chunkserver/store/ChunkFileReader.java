package dfs.chunkserver.store;

import dfs.common.wire.ChunkId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import dfs.common.crypto.Sha256;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Reads stored chunk files: opening one for streaming its payload, and re-hashing one to verify
 * it. Needs no lock: a chunk file is only ever replaced whole, by an atomic rename, so an open
 * file stays the version it was. Stateless and thread-safe.
 */
final class ChunkFileReader {
    private static final int BUFFER_BYTES = 64 * 1024;

    private ChunkFileReader() {}

    /**
     * Opens {@code file} as chunk {@code id}, positioned at its payload; empty when absent.
     *
     * @throws CorruptChunkException if the header is unreadable or the length disagrees with it
     */
    static Optional<OpenChunk> open(Path file, ChunkId id) throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        try {
            ChunkFileFormat.Header header = checkedHeader(ch, file, id);
            ch.position(ChunkFileFormat.HEADER_BYTES);
            return Optional.of(new OpenChunk(id, header.length(), header.sha256(), ch));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Checks header, length and payload hash of {@code file} as chunk {@code id}. */
    static VerifyResult verify(Path file, ChunkId id) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ChunkFileFormat.Header header = checkedHeader(ch, file, id);
            String actual = hashPayload(ch);
            if (!actual.equals(header.sha256())) {
                return VerifyResult.corrupt(id, "chunk " + id + " payload hashes to " + actual
                        + ", recorded " + header.sha256());
            }
            return VerifyResult.ok(id);
        } catch (NoSuchFileException e) {
            return VerifyResult.missing(id);
        } catch (CorruptChunkException e) {
            return VerifyResult.corrupt(id, "chunk " + id + " in " + file + ": " + e.detail());
        }
    }

    /** The header of {@code file}, read and checked but without checking the length. */
    static ChunkFileFormat.Header header(Path file, ChunkId id) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return ChunkFileFormat.read(ch, file, id);
        }
    }

    private static ChunkFileFormat.Header checkedHeader(FileChannel ch, Path file, ChunkId id) throws IOException {
        ChunkFileFormat.Header header = ChunkFileFormat.read(ch, file, id);
        long payloadBytes = ch.size() - ChunkFileFormat.HEADER_BYTES;
        if (payloadBytes != header.length()) {
            throw new CorruptChunkException(id, file, "holds " + payloadBytes
                    + " payload bytes, its header records " + header.length());
        }
        return header;
    }

    private static String hashPayload(FileChannel ch) throws IOException {
        MessageDigest digest = Sha256.newDigest();
        ByteBuffer buf = ByteBuffer.allocate(BUFFER_BYTES);
        long position = ChunkFileFormat.HEADER_BYTES;
        int n;
        while ((n = ch.read(buf.clear(), position)) > 0) {
            digest.update(buf.flip());
            position += n;
        }
        return Sha256.hex(digest);
    }
}
