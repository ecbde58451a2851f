package dfs.master.metadata;

import com.fasterxml.jackson.core.JsonProcessingException;
import dfs.common.crypto.ChunkSeal;
import dfs.common.crypto.IntegrityException;
import dfs.common.crypto.MasterKey;
import dfs.common.crypto.MasterKeySet;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A copy of the whole metadata as the master keeps it on every chunk server, so that losing the
 * master machine's disk loses no file: every record, and when the copy was written (the newest
 * copy wins a recovery). Sealed under a key derived from the master key, the copy tells a chunk
 * server nothing but its size. Byte layout in FORMAT.md. Immutable.
 *
 * @param written when the master sealed it
 */
public record MetadataCopy(Instant written, List<FileRecord> files) {
    /** The derived key's purpose, and the associated data of every copy. */
    static final String PURPOSE = "dfs metadata copy v1";
    private static final byte[] AAD = PURPOSE.getBytes(StandardCharsets.US_ASCII);
    private static final int MAGIC = 0x4446534d; // "DFSM"
    static final int FORMAT = 1;

    public MetadataCopy {
        files = List.copyOf(files);
    }

    /** The sealed bytes under {@code key}: compressed snapshot JSON, sealed in segments. */
    public byte[] seal(MasterKey key) {
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(plain)) {
            out.writeInt(MAGIC);
            out.writeByte(FORMAT);
            out.writeLong(written.toEpochMilli());
            out.writeInt(files.size());
            GZIPOutputStream zip = new GZIPOutputStream(out, 1 << 16);
            SnapshotFile.writeTo(zip, files);
            zip.finish();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a metadata copy in memory", e);
        }
        byte[] bytes = plain.toByteArray();
        return ChunkSeal.seal(key.derive(PURPOSE), AAD, bytes, 0, bytes.length);
    }

    /**
     * Opens a sealed copy with whichever of {@code keys} sealed it.
     *
     * @param what names the copy in errors, e.g. "the metadata copy on 10.0.0.7:7000"
     * @throws IntegrityException if no key opens it: another master key sealed it, or it was altered
     * @throws IOException if it opens but holds no valid metadata (written by another dfs version)
     */
    public static MetadataCopy open(MasterKeySet keys, byte[] sealed, String what) throws IOException {
        byte[] plain = null;
        List<MasterKey> candidates = new ArrayList<>(List.of(keys.current()));
        keys.next().ifPresent(candidates::add);
        for (MasterKey key : candidates) {
            plain = tryOpen(key, sealed, what).orElse(null);
            if (plain != null) {
                break;
            }
        }
        if (plain == null) {
            throw new IntegrityException(what + " does not open with this master key: another master key"
                    + " sealed it, or it was altered");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(plain))) {
            if (in.readInt() != MAGIC) {
                throw new IOException(what + " opens, but is not a metadata copy");
            }
            int format = in.readUnsignedByte();
            if (format != FORMAT) {
                throw new IOException(what + " has format " + format + ", but this dfs reads format " + FORMAT
                        + "; use the dfs version that wrote it");
            }
            Instant written = Instant.ofEpochMilli(in.readLong());
            int count = in.readInt();
            List<FileRecord> files;
            try (InputStream json = new GZIPInputStream(in, 1 << 16)) {
                files = List.copyOf(SnapshotFile.parse(json, what).values());
            } catch (JsonProcessingException | IllegalArgumentException e) {
                throw new IOException(what + " opens, but its metadata is not valid: " + e.getMessage(), e);
            }
            if (files.size() != count) {
                throw new IOException(what + " says it holds " + count + " files, but holds " + files.size());
            }
            return new MetadataCopy(written, files);
        }
    }

    private static Optional<byte[]> tryOpen(MasterKey key, byte[] sealed, String what) {
        try {
            return Optional.of(ChunkSeal.open(key.derive(PURPOSE), AAD, sealed, 0, sealed.length, what));
        } catch (IntegrityException e) {
            return Optional.empty();
        }
    }
}
