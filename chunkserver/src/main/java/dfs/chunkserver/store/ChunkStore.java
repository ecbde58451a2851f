package dfs.chunkserver.store;

import dfs.common.crypto.Sha256;
import dfs.common.io.AtomicFiles;
import dfs.common.wire.ChunkDeletion;
import dfs.common.wire.ChunkId;
import dfs.common.wire.ChunkListing;
import dfs.common.wire.Crc32c;
import dfs.common.wire.HealthReport;
import dfs.common.wire.NodeId;
import dfs.common.wire.Protocol;
import dfs.common.wire.StoredChunk;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable store of one chunk server: opaque chunk payloads, each in its own file with a small
 * header recording its length and SHA-256 (layout in {@link StorageLayout}, bytes in FORMAT.md).
 *
 * <p>A put streams the body to {@code tmp/} while hashing it, refuses it unless it has exactly the
 * declared length and hash, forces it to disk and renames it into place, so a chunk file is either
 * absent or complete. The payload is never interpreted.
 *
 * <p>The storage folder also holds the master's sealed metadata copy, kept apart from the chunks by
 * {@link #metadataCopy()}.
 *
 * <p>Thread-safe. Writes of one id are serialised (by a lock stripe) only for the final check and
 * rename, so uploads of many chunks stream in parallel. Readers need no lock: a chunk file is only
 * ever replaced by an atomic rename.
 */
public final class ChunkStore {
    /** Free space kept untouched so the file system (and its other users) never runs dry. */
    public static final long DEFAULT_RESERVE_BYTES = 64L * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(ChunkStore.class);
    private static final int LOCK_STRIPES = 64;

    private final StorageLayout layout;
    private final NodeId nodeId;
    private final DiskSpace space;
    private final ChunkIndex index;
    private final MetadataCopyStore metadataCopy;
    private final DrainMark drainMark;
    private final Object[] locks = new Object[LOCK_STRIPES];
    private final ScrubCounters scrubCounters = new ScrubCounters();

    private ChunkStore(StorageLayout layout, NodeId nodeId, long reserveBytes, ChunkIndex index)
            throws IOException {
        this.layout = layout;
        this.nodeId = nodeId;
        this.space = new DiskSpace(layout.root(), reserveBytes);
        this.index = index;
        this.metadataCopy = new MetadataCopyStore(layout, space);
        this.drainMark = new DrainMark(layout.drainMarkFile());
        if (drainMark.isSet()) {
            LOG.info("this server is drained: masters place no new copies on it; 'dfs drain --undo {}' takes it"
                    + " back", nodeId);
        }
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
    }

    /** Opens (creating if needed) the store under {@code root}, keeping {@link #DEFAULT_RESERVE_BYTES} free. */
    public static ChunkStore openAt(Path root) throws IOException {
        return openAt(root, DEFAULT_RESERVE_BYTES);
    }

    /**
     * Opens (creating if needed) the store under {@code root}: creates or reads its node id,
     * empties {@code tmp/} and counts the stored chunks once.
     *
     * @param reserveBytes free space a put must leave on the file system
     */
    public static ChunkStore openAt(Path root, long reserveBytes) throws IOException {
        if (reserveBytes < 0) {
            throw new IllegalArgumentException("negative reserve " + reserveBytes + " for " + root);
        }
        StorageLayout layout = StorageLayout.prepare(root);
        NodeId nodeId = layout.loadOrCreateNodeId();
        ChunkIndex index = ChunkIndex.scan(layout.chunksDir());
        LOG.info("chunk store {} (node {}): {} chunks, {} bytes", layout.root(), nodeId,
                index.count(), index.usedBytes());
        return new ChunkStore(layout, nodeId, reserveBytes, index);
    }

    /**
     * The node id of the storage folder {@code root}, created (durably) if the folder has none yet.
     * Lets a server learn its identity, e.g. for its certificate, before opening the store.
     */
    public static NodeId nodeIdAt(Path root) throws IOException {
        return StorageLayout.ofRoot(root).loadOrCreateNodeId();
    }

    /** Whether {@code text} is a SHA-256 as the store records it: 64 lowercase hex digits. */
    public static boolean isSha256Hex(String text) {
        return Sha256.isHex(text);
    }

    public NodeId nodeId() {
        return nodeId;
    }

    /** The storage root, as a real (symbolic-link-free) absolute path. */
    public Path root() {
        return layout.root();
    }

    /** Where this server keeps the master's metadata copy, beside (never among) its chunks. */
    public MetadataCopyStore metadataCopy() {
        return metadataCopy;
    }

    /** Whether a master drained this server, kept across restarts. */
    public DrainMark drainMark() {
        return drainMark;
    }

    /**
     * Stores {@code length} bytes read from {@code body} as chunk {@code id}. Reads exactly
     * {@code length} bytes plus one to prove the body ends there; does not close {@code body}.
     *
     * @param sha256Hex the lowercase hex SHA-256 the body must have
     * @return the stored chunk, with {@code existed} true when the same bytes were already stored
     * @throws IllegalArgumentException if the hash is not 64 lowercase hex digits or length is negative
     * @throws ChunkTooLargeException if length exceeds {@link Protocol#MAX_CHUNK_BYTES}
     * @throws DiskFullException if storing would eat into the free-space reserve
     * @throws LengthMismatchException if the body is shorter or longer than length, or breaks off
     * @throws HashMismatchException if the body does not hash to {@code sha256Hex}
     * @throws ChunkConflictException if a different intact chunk is stored under {@code id}
     */
    public PutResult put(ChunkId id, String sha256Hex, long length, InputStream body) throws IOException {
        return put(id, sha256Hex, null, length, body);
    }

    /**
     * As {@link #put(ChunkId, String, long, InputStream)}; given the sender's CRC-32C, checks the body
     * against it instead of hashing it, and records {@code sha256Hex} as the sender claims it
     * ({@code Protocol.CRC32C_HEADER} says why that is safe).
     *
     * @param crc32cHex the CRC-32C the body must have, 8 lowercase hex digits; null to check the
     *     SHA-256 instead
     * @throws HashMismatchException if the body does not match the CRC-32C, or the SHA-256
     */
    public PutResult put(ChunkId id, String sha256Hex, String crc32cHex, long length, InputStream body)
            throws IOException {
        if (crc32cHex == null) {
            return put(id, sha256Hex, length, body, ArrivalCheck.sha256(sha256Hex));
        }
        if (!Crc32c.isHex(crc32cHex)) {
            throw new IllegalArgumentException("chunk " + id + ": CRC-32C must be 8 lowercase hex digits, got '"
                    + abbreviate(crc32cHex) + "'");
        }
        return put(id, sha256Hex, length, body, ArrivalCheck.crc32c(crc32cHex));
    }

    private PutResult put(ChunkId id, String sha256Hex, long length, InputStream body, ArrivalCheck check)
            throws IOException {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(body, "body");
        if (!isSha256Hex(sha256Hex)) {
            throw new IllegalArgumentException("chunk " + id + ": SHA-256 must be 64 lowercase hex digits, got '"
                    + abbreviate(sha256Hex) + "'");
        }
        if (length < 0) {
            throw new IllegalArgumentException("chunk " + id + ": negative length " + length);
        }
        if (length > Protocol.MAX_CHUNK_BYTES) {
            throw new ChunkTooLargeException(id, length, Protocol.MAX_CHUNK_BYTES);
        }
        space.require(Upload.chunk(id), ChunkFileFormat.HEADER_BYTES + length, null);
        Path tmp = layout.newTmpFile(id.hex());
        try {
            writeTmp(tmp, id, sha256Hex, length, body, check);
            return commit(tmp, id, sha256Hex, length);
        } catch (IOException | RuntimeException | Error e) {
            // a committed write has no temporary file left: removing it would only build an exception
            layout.removeTmpQuietly(tmp);
            throw e;
        }
    }

    private void writeTmp(Path tmp, ChunkId id, String sha256Hex, long length, InputStream body,
            ArrivalCheck check) throws IOException {
        long fileBytes = ChunkFileFormat.HEADER_BYTES + length;
        try (IncomingFile file = IncomingFile.open(tmp, fileBytes, Upload.chunk(id), space)) {
            // The header can be written first: the claimed hash is only kept if the body matches it.
            file.write(ChunkFileFormat.encode(id, length, sha256Hex));
            file.copyBody(body, length, check);
            String actual = check.actual();
            if (!actual.equals(check.expected())) {
                throw new HashMismatchException(id, check.name(), check.expected(), actual);
            }
            file.force();
        }
    }

    private PutResult commit(Path tmp, ChunkId id, String sha256Hex, long length) throws IOException {
        StoredChunk stored = new StoredChunk(id, length, sha256Hex);
        synchronized (lockFor(id)) {
            Path target = layout.chunkFile(id);
            boolean existed = false;
            if (Files.exists(target)) {
                existed = sameIntactOrReplaceable(target, id, sha256Hex);
            }
            // Even an identical chunk is replaced: the rename is cheap and heals a copy whose
            // payload rotted on disk since it was stored.
            layout.ensureShardDir(id);
            AtomicFiles.commit(tmp, target);
            index.put(id, length);
            return new PutResult(stored, existed);
        }
    }

    /**
     * Decides what an incoming chunk may do to the file already stored under its id: true when it
     * records the same hash (an idempotent repeat), false when it is corrupt (it will be replaced),
     * and a conflict when it is a different intact chunk.
     */
    private boolean sameIntactOrReplaceable(Path target, ChunkId id, String sha256Hex) throws IOException {
        try {
            if (ChunkFileReader.header(target, id).sha256().equals(sha256Hex)) {
                return true;
            }
        } catch (CorruptChunkException e) {
            LOG.warn("replacing unreadable chunk file: {}", e.getMessage());
            return false;
        }
        VerifyResult current = verify(id);
        if (current.status() == VerifyResult.Status.OK) {
            ChunkFileFormat.Header header = ChunkFileReader.header(target, id);
            throw new ChunkConflictException(id, header.sha256(), sha256Hex);
        }
        LOG.warn("replacing corrupt chunk {}: {}", id, current.detail());
        return false;
    }

    /**
     * Opens chunk {@code id} for reading, or empty when it is not stored. The payload is served as
     * it lies on disk, with the hash recorded when it was stored, and is not re-hashed here: the
     * receiver checks every chunk anyway (its SHA-256 and AES-GCM tags), so a second hash on every
     * read would only double the CPU a download costs. Rotted payloads are found by that check,
     * which has the master repair the copy, and by the {@link Scrubber}.
     *
     * @throws CorruptChunkException if the header or length is damaged; the chunk is quarantined
     */
    public Optional<OpenChunk> open(ChunkId id) throws IOException {
        try {
            return ChunkFileReader.open(layout.chunkFile(id), id);
        } catch (CorruptChunkException e) {
            quarantineQuietly(id);
            throw e;
        }
    }

    /**
     * Moves chunk {@code id} into {@code quarantine/} if it is (still) corrupt, so that it reads as
     * missing and the master re-creates it from a good copy; logs one WARN line. Re-checked under
     * the id's lock, so a good copy stored in the meantime is left alone.
     *
     * @return true if the chunk was quarantined
     */
    public boolean quarantine(ChunkId id) throws IOException {
        synchronized (lockFor(id)) {
            VerifyResult now = verify(id);
            if (now.status() != VerifyResult.Status.CORRUPT) {
                return false;
            }
            Path moved = layout.quarantine(id);
            index.remove(id);
            scrubCounters.corruptFound();
            LOG.warn("quarantined corrupt chunk {} as {}: {}", id, moved, now.detail());
            return true;
        }
    }

    private void quarantineQuietly(ChunkId id) {
        try {
            quarantine(id);
        } catch (IOException | RuntimeException e) {
            LOG.warn("chunk {} is corrupt but could not be quarantined: {}", id, e.toString());
        }
    }

    /** What scrubbing and reads found since the store was opened. */
    public HealthReport.Scrub scrubSummary() {
        return scrubCounters.snapshot();
    }

    ScrubCounters scrubCounters() {
        return scrubCounters;
    }

    /** Deletes chunk {@code id} durably; false when it was not stored. */
    public boolean delete(ChunkId id) throws IOException {
        return deleteAll(List.of(id)).deleted() == 1;
    }

    /**
     * Deletes every chunk in {@code ids} that is stored, then forces each folder that lost one, so
     * every deletion is durable when it returns: one force per folder, not one per chunk. The
     * emptied files are kept for later writes ({@link RecycledFiles}).
     */
    public ChunkDeletion.Result deleteAll(Collection<ChunkId> ids) throws IOException {
        Set<ChunkId> distinct = new LinkedHashSet<>(ids);
        Set<Path> folders = new HashSet<>();
        int deleted = 0;
        for (ChunkId id : distinct) {
            Path file = layout.chunkFile(id);
            synchronized (lockFor(id)) {
                if (layout.remove(file)) {
                    index.remove(id);
                    folders.add(file.getParent());
                    deleted++;
                }
            }
        }
        for (Path folder : folders) {
            AtomicFiles.forceDirectory(folder);
        }
        return new ChunkDeletion.Result(deleted, distinct.size() - deleted);
    }

    /**
     * Re-reads chunk {@code id} and checks its header, length and payload hash.
     *
     * @throws IOException only when the file cannot be read at all (not for a corrupt chunk)
     */
    public VerifyResult verify(ChunkId id) throws IOException {
        return ChunkFileReader.verify(layout.chunkFile(id), id);
    }

    /** Every stored chunk with its payload size, sorted by id. */
    public List<ChunkListing.Entry> list() {
        return index.list();
    }

    public long count() {
        return index.count();
    }

    /** Payload bytes stored (headers not counted). */
    public long usedBytes() {
        return index.usedBytes();
    }

    /** Free space for chunks: what the storage root's file system has usable beyond the reserve. */
    public long freeBytes() throws IOException {
        return space.freeBytes();
    }

    /** Which file system of this machine the storage root is on, if the platform tells. */
    public Optional<String> disk() {
        return space.disk();
    }

    /** Size of the storage root's file system. */
    public long totalBytes() throws IOException {
        return space.totalBytes();
    }

    private Object lockFor(ChunkId id) {
        return locks[Math.floorMod(id.hashCode(), locks.length)];
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "null";
        }
        String printable = s.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() > 80 ? printable.substring(0, 80) + "..." : printable;
    }
}
