package dfs.chunkserver.store;

import dfs.common.io.AtomicFiles;
import dfs.common.wire.ChunkId;
import dfs.common.wire.NodeId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where things live under a storage root, and the only place that turns a chunk id into a path:
 *
 * <pre>
 * root/node_id                  this server's NodeId, created once and kept
 * root/in_use.lock              locked by the server using the folder ({@link StorageLock})
 * root/chunks/ab/ab01...ef      chunk files, sharded by the first two hex digits of the id
 * root/tmp/                     in-flight writes, emptied at every start
 * root/free/0, 1, ...           emptied files of deleted chunks, reused for writes ({@link RecycledFiles})
 * root/metadata-copy            the master's sealed metadata copy ({@link MetadataCopyStore})
 * root/metadata-copy.master     the id of the master that sent it, when it said
 * root/draining                 present while a master has drained this server ({@link DrainMark})
 * root/quarantine/ab01...ef.N   corrupt chunk files moved aside, never read again by the server
 * </pre>
 *
 * Immutable after {@link #prepare}; thread-safe.
 */
final class StorageLayout {
    private static final Logger LOG = LoggerFactory.getLogger(StorageLayout.class);

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    /** Chunk files are sealed, and still readable by their owner only. */
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private final Path root;
    private final Path chunks;
    private final Path tmp;
    private final Path quarantine;
    private final Path metadataCopy;
    private final Path metadataCopyMaster;
    private final Path drainMark;
    private final RecycledFiles recycled;

    private StorageLayout(Path root) {
        this.root = root;
        this.chunks = root.resolve("chunks");
        this.tmp = root.resolve("tmp");
        this.quarantine = root.resolve("quarantine");
        this.metadataCopy = root.resolve("metadata-copy");
        this.metadataCopyMaster = root.resolve("metadata-copy.master");
        this.drainMark = root.resolve("draining");
        this.recycled = new RecycledFiles(root.resolve("free"));
    }

    /**
     * Creates the folders as needed, empties {@code tmp/} of writes a previous run left behind and
     * takes in the emptied files kept in {@code free/}.
     */
    static StorageLayout prepare(Path root) throws IOException {
        StorageLayout layout = ofRoot(root);
        Files.createDirectories(layout.chunks);
        Files.createDirectories(layout.tmp);
        layout.clearTmp();
        layout.recycled.load();
        return layout;
    }

    /** The layout under {@code root}, creating only the root folder itself. */
    static StorageLayout ofRoot(Path root) throws IOException {
        createRoot(root);
        // The real path, so the containment check in chunkFile() is not fooled by symbolic links.
        return new StorageLayout(root.toRealPath());
    }

    /** Creates the storage root and its parents as needed; a file in its place is a clear error. */
    static void createRoot(Path root) throws IOException {
        try {
            Files.createDirectories(root);
        } catch (FileAlreadyExistsException e) {
            throw new FileSystemException(root.toString(), null,
                    "is a file, not a folder; storage_dir (or --dir) must name a folder");
        }
    }

    Path root() {
        return root;
    }

    Path chunksDir() {
        return chunks;
    }

    /** The file of chunk {@code id}, guaranteed to lie inside {@code chunks/}. */
    Path chunkFile(ChunkId id) {
        String hex = id.hex();
        Path file = chunks.resolve(hex.substring(0, 2)).resolve(hex).normalize();
        // A valid ChunkId cannot escape; this guards against that validation ever being weakened.
        if (!file.startsWith(chunks) || file.getNameCount() != chunks.getNameCount() + 2) {
            throw new IllegalArgumentException("chunk id '" + hex + "' resolves to " + file
                    + ", outside the storage root " + root + "; refused");
        }
        return file;
    }

    /** Creates the shard folder of {@code id} if needed, durably (the new entry in chunks/ is forced). */
    void ensureShardDir(ChunkId id) throws IOException {
        Path shard = chunkFile(id).getParent();
        if (!Files.isDirectory(shard)) {
            Files.createDirectories(shard);
            AtomicFiles.forceDirectory(chunks);
        }
    }

    /**
     * Moves the file of chunk {@code id} durably into {@code quarantine/} as {@code <id>.<n>}, with
     * the first {@code n} not taken (a chunk may rot, be re-put and rot again). The caller holds the
     * id's lock, so no other move picks the same name.
     *
     * @return where the file now is
     */
    Path quarantine(ChunkId id) throws IOException {
        Path source = chunkFile(id);
        if (!Files.isDirectory(quarantine)) {
            Files.createDirectories(quarantine);
            AtomicFiles.forceDirectory(root);
        }
        Path target;
        int n = 1;
        do {
            target = quarantine.resolve(id.hex() + "." + n++);
        } while (Files.exists(target));
        Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
        AtomicFiles.forceDirectory(source.getParent());
        AtomicFiles.forceDirectory(quarantine);
        return target;
    }

    /** The file holding the master's metadata copy; outside {@code chunks/}, so never taken for a chunk. */
    Path metadataCopyFile() {
        return metadataCopy;
    }

    /** The file naming the master whose metadata copy this server holds. */
    Path metadataCopyMasterFile() {
        return metadataCopyMaster;
    }

    /** The file whose presence says a master drained this server; outside {@code chunks/}. */
    Path drainMarkFile() {
        return drainMark;
    }

    /**
     * A file in {@code tmp/} for an incoming write, named {@code <prefix>.<random>.tmp}: a kept file
     * of a deleted chunk when there is one, else a new one. It may hold bytes: open it truncating.
     */
    Path newTmpFile(String prefix) throws IOException {
        while (true) {
            Path file = tmp.resolve(prefix + "." + (ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE) + ".tmp");
            if (Files.exists(file)) {
                continue; // a rename would replace it
            }
            try {
                if (!recycled.takeAs(file)) {
                    Files.createFile(file, POSIX ? new FileAttribute<?>[] {OWNER_ONLY} : new FileAttribute<?>[0]);
                }
                return file;
            } catch (FileAlreadyExistsException taken) {
                // created between the check and here: draw another name
            }
        }
    }

    /**
     * Removes {@code file}, a chunk's or a write's, keeping its emptied inode for a later write.
     * Not durable until the caller forces the folder it was in.
     *
     * @return false when {@code file} did not exist
     */
    boolean remove(Path file) throws IOException {
        return recycled.recycle(file);
    }

    /** Removes a write that was refused or failed; one that cannot be removed now goes at the next start. */
    void removeTmpQuietly(Path file) {
        try {
            remove(file);
        } catch (IOException e) {
            LOG.warn("cannot remove unfinished write {} ({}); it goes at the next start", file, e.toString());
        }
    }

    /** Reads {@code node_id}, or creates it (durably) with a fresh random id on first start. */
    NodeId loadOrCreateNodeId() throws IOException {
        Path file = root.resolve("node_id");
        if (Files.exists(file)) {
            String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
            try {
                return NodeId.parse(text);
            } catch (IllegalArgumentException e) {
                throw new IOException(file + " does not hold a node id (" + e.getMessage()
                        + "); restore it, or delete it to give this server a new identity", e);
            }
        }
        NodeId id = NodeId.random();
        AtomicFiles.write(file, (id.hex() + "\n").getBytes(StandardCharsets.US_ASCII));
        LOG.info("new storage folder {}: node id {}", root, id);
        return id;
    }

    private void clearTmp() throws IOException {
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(tmp)) {
            for (Path entry : entries) {
                if (Files.isDirectory(entry)) {
                    LOG.warn("leaving unexpected folder {} in {}", entry.getFileName(), tmp);
                    continue;
                }
                Files.delete(entry);
                removed++;
            }
        }
        if (removed > 0) {
            LOG.info("removed {} unfinished write(s) from {}", removed, tmp);
        }
    }
}
