package dfs.master.metadata;

import dfs.common.crypto.Sha256;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dfs.common.wire.ChunkId;
import dfs.common.wire.NodeId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything the master knows about one uploaded file: its name (see {@link FileNames}), id,
 * plaintext size and digest (the SHA-256 of its chunks' hashes; files stored before 2026-11-25 hold
 * their plaintext's SHA-256, equally opaque here), the chunk size it was split with, its data key wrapped by the
 * master key (base64, opaque here), when it was uploaded, and its chunks in order.
 *
 * <p>The chunk layout is checked on construction: {@code chunkCount == ceil(size / chunkSize)},
 * and {@code chunks} holds exactly that many, indexed 0..n-1 in order, with distinct ids. An empty
 * file therefore has no chunks at all: there is nothing to store, and the download is just the
 * (verified) empty plaintext. {@link #toString()} leaves the wrapped key out. Immutable and
 * thread-safe.
 */
@JsonPropertyOrder({"name", "fileId", "size", "chunkSize", "chunkCount", "sha256", "wrappedKey",
    "created", "chunks"})
public record FileRecord(String name, FileId fileId, long size, int chunkSize, int chunkCount,
        String sha256, String wrappedKey, Instant created, List<ChunkRecord> chunks) {

    public FileRecord {
        FileNames.check(name);
        if (fileId == null || created == null) {
            throw new IllegalArgumentException(what(name) + (fileId == null ? "fileId" : "created")
                    + " is required");
        }
        if (size < 0) {
            throw new IllegalArgumentException(what(name) + "negative size " + size);
        }
        if (chunkSize <= 0) {
            throw new IllegalArgumentException(what(name) + "chunk size " + chunkSize + " is not positive");
        }
        long expected = size / chunkSize + (size % chunkSize == 0 ? 0 : 1);
        if (chunkCount != expected) {
            throw new IllegalArgumentException(what(name) + "chunkCount " + chunkCount + " does not match "
                    + size + " bytes in chunks of " + chunkSize + " (expected " + expected + ")");
        }
        if (!Sha256.isHex(sha256)) {
            throw new IllegalArgumentException(what(name) + "sha256 '" + FileNames.printable(sha256)
                    + "' is not 64 lowercase hex digits");
        }
        checkWrappedKey(name, wrappedKey);
        try {
            chunks = List.copyOf(chunks); // refuses a null list or element, without a stream per record
        } catch (NullPointerException e) {
            throw new IllegalArgumentException(what(name) + "chunks must be a list of chunk records");
        }
        if (chunks.size() != chunkCount) {
            throw new IllegalArgumentException(what(name) + "chunkCount is " + chunkCount + " but "
                    + chunks.size() + " chunks are listed");
        }
        Set<ChunkId> ids = chunks.size() > 1 ? new HashSet<>() : null; // most files have one chunk
        for (int i = 0; i < chunks.size(); i++) {
            ChunkRecord chunk = chunks.get(i);
            if (chunk.index() != i) {
                throw new IllegalArgumentException(what(name) + "chunk at position " + i + " has index "
                        + chunk.index() + "; chunks must be listed in order 0.." + (chunkCount - 1));
            }
            if (ids != null && !ids.add(chunk.id())) {
                throw new IllegalArgumentException(what(name) + "chunk id " + chunk.id()
                        + " is used twice; every chunk needs its own id");
            }
        }
    }

    /** What a listing shows of this file. */
    public FileSummary summary() {
        return new FileSummary(name, size, chunkCount, created);
    }

    /** How messages start; built only for a message, as the store checks every record it loads. */
    private static String what(String name) {
        return "file '" + FileNames.printable(name) + "': ";
    }

    private static void checkWrappedKey(String name, String wrappedKey) {
        if (wrappedKey == null || wrappedKey.isEmpty()) {
            throw new IllegalArgumentException(what(name) + "wrappedKey is required");
        }
        try {
            Base64.getDecoder().decode(wrappedKey);
        } catch (IllegalArgumentException e) {
            // never echo the value: it is key material, even if wrapped
            throw new IllegalArgumentException(what(name) + "wrappedKey is not valid base64");
        }
    }

    /**
     * This file under the name {@code newName}: nothing else changes, as neither its key nor its
     * chunks are bound to a name (they are bound to its {@link #fileId}).
     */
    public FileRecord withName(String newName) {
        return new FileRecord(newName, fileId, size, chunkSize, chunkCount, sha256, wrappedKey, created, chunks);
    }

    /** This file with {@code chunk} replacing the chunk at {@code chunk.index()}. */
    public FileRecord withChunk(ChunkRecord chunk) {
        Objects.checkIndex(chunk.index(), chunks.size());
        List<ChunkRecord> copy = new ArrayList<>(chunks);
        copy.set(chunk.index(), chunk);
        return new FileRecord(name, fileId, size, chunkSize, chunkCount, sha256, wrappedKey,
                created, copy);
    }

    /** This file with chunk {@code index} held by {@code servers} instead (after re-replication). */
    public FileRecord withServers(int index, List<NodeId> servers) {
        Objects.checkIndex(index, chunks.size());
        return withChunk(chunks.get(index).withServers(servers));
    }

    @Override
    public String toString() {
        return "FileRecord[name=" + FileNames.printable(name) + ", fileId=" + fileId + ", size="
                + size + ", chunkSize=" + chunkSize + ", chunkCount=" + chunkCount + ", sha256="
                + sha256 + ", wrappedKey=(hidden), created=" + created + ", chunks=" + chunks + "]";
    }
}
