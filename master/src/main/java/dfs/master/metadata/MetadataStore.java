package dfs.master.metadata;

import dfs.common.io.ExclusiveLock;
import dfs.common.wire.ChunkId;
import dfs.common.wire.NodeId;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's file records, kept in memory and made durable in a snapshot plus a journal (the
 * on-disk format and the crash reasoning are in {@code package-info.java}).
 *
 * <p>Every change is one journal line forced to disk before {@link #put} or {@link #remove}
 * returns, so its cost does not grow with the number of files; the snapshot is rewritten only
 * when the journal has grown as large as it, which keeps that cost amortized per change too.
 * Only one store may have a metadata file open at a time, across processes: {@link #open} takes
 * an exclusive lock on {@code <file>.lock}.
 *
 * <p>Thread-safe. Changes are applied one at a time, in journal order; a reader sees each change
 * whole or not at all, and only once it is durable. Reads never wait for a disk write.
 */
public final class MetadataStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetadataStore.class);

    /** How often a listing reads again when a running master's compactions keep overlapping it. */
    private static final int READ_BESIDE_ATTEMPTS = 5;
    /** The journal is never compacted below this size, so small stores do not rewrite often. */
    static final long MIN_COMPACTION_BYTES = 4L << 20;
    /** At most this many changes share a journal line (and its force to disk). */
    static final int MAX_LINE_ENTRIES = 1000;
    /** At most this many records and chunks share a journal line: a few MB of JSON. */
    static final int MAX_LINE_WEIGHT = 10_000;

    private final Path snapshotFile;
    private final FileChannel lockChannel;
    private final long minCompactionBytes;
    /** Serializes writers, so journal order is apply order; held across the disk write. */
    private final Object writeMutex = new Object();
    /** Guards the in-memory state against readers for the moment a change is applied. */
    private final ReadWriteLock stateLock = new ReentrantReadWriteLock();
    private final TreeMap<String, FileRecord> files;
    /** The names of the files with a replica on each node; built when first asked for. */
    private Map<NodeId, Set<String>> namesByNode;
    private Journal journal;
    private long snapshotBytes;
    private long nextCompaction;
    /** Changes applied since the store was opened; guarded by {@link #stateLock}. */
    private long changes;
    private volatile boolean closed;

    private MetadataStore(Path snapshotFile, FileChannel lockChannel, long minCompactionBytes,
            TreeMap<String, FileRecord> files, long snapshotBytes) {
        this.snapshotFile = snapshotFile;
        this.lockChannel = lockChannel;
        this.minCompactionBytes = minCompactionBytes;
        this.files = files;
        this.snapshotBytes = snapshotBytes;
    }

    /**
     * Opens the store kept in {@code snapshotFile} (normally {@code metadata_uploaded.json}) and
     * its journal {@code <snapshotFile>.journal}. A missing snapshot is an empty store; the
     * snapshot is first written when the journal is compacted.
     *
     * @throws MetadataInUseException if another store holds the file
     * @throws CorruptMetadataException if the snapshot or journal cannot be read back
     */
    public static MetadataStore open(Path snapshotFile) throws IOException {
        return open(snapshotFile, MIN_COMPACTION_BYTES);
    }

    /**
     * What a listing shows of the stored files, sorted by name, read by up to {@code threads}
     * threads (see {@code SnapshotPieces}). Snapshot and journal are read without the lock and left
     * exactly as they are, whether or not a master holds the store: a journal line still being
     * appended (or torn by a crash) is not read, and a read that a compaction overlapped (the
     * snapshot replaced meanwhile) is done again. Of the snapshot only what a listing shows is
     * read, and only its shape is checked beyond that: a store that does not open is the master's
     * to report.
     */
    public static List<FileSummary> summaries(Path snapshotFile, int threads) throws IOException {
        Path file = snapshotFile.toAbsolutePath();
        for (int attempt = 1; ; attempt++) {
            Object before = identity(file);
            try {
                TreeMap<String, FileSummary> files = SnapshotFile.summaries(file, threads);
                Journal.readComplete(sibling(file, ".journal"),
                        line -> line.changes().forEach(change -> applyChange(files, change, FileRecord::summary)));
                if (before.equals(identity(file))) {
                    return List.copyOf(files.values());
                }
            } catch (CorruptMetadataException e) {
                if (before.equals(identity(file))) {
                    throw e; // nothing was replaced underneath: the damage is real
                }
            }
            if (attempt == READ_BESIDE_ATTEMPTS) {
                throw new IOException("metadata file " + file + " was rewritten " + attempt + " times while it was"
                        + " read (the master holding it compacts it as files change); try again");
            }
        }
    }

    /** What a compaction changes when it replaces the snapshot: the file itself, its time and size. */
    private static Object identity(Path file) throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return List.of(String.valueOf(a.fileKey()), a.lastModifiedTime(), a.size());
        } catch (NoSuchFileException e) {
            return "none";
        }
    }

    /** As {@link #open(Path)}, compacting once the journal exceeds {@code minCompactionBytes}. */
    static MetadataStore open(Path snapshotFile, long minCompactionBytes) throws IOException {
        Path file = snapshotFile.toAbsolutePath();
        Files.createDirectories(file.getParent());
        Path lockFile = sibling(file, ".lock");
        FileChannel lockChannel = ExclusiveLock.tryAcquire(lockFile)
                .orElseThrow(() -> new MetadataInUseException(file, lockFile));
        try {
            deleteAbandonedTemporaryFiles(file);
            TreeMap<String, FileRecord> files = SnapshotFile.read(file);
            long snapshotBytes = Files.exists(file) ? Files.size(file) : 0;
            MetadataStore store = new MetadataStore(file, lockChannel, minCompactionBytes, files,
                    snapshotBytes);
            // the mutex publishes the writer-side fields to whichever thread writes first
            synchronized (store.writeMutex) {
                store.journal = Journal.open(sibling(file, ".journal"), store::apply);
                store.nextCompaction = store.threshold();
                LOG.info("metadata: {} files ({} and {} journal entries)", store.size(), file,
                        store.journal.entries());
                store.maybeCompact();
            }
            return store;
        } catch (IOException | RuntimeException e) {
            lockChannel.close(); // also releases the lock
            throw e;
        }
    }

    /** The record named {@code name}, if there is one. */
    public Optional<FileRecord> get(String name) {
        stateLock.readLock().lock();
        try {
            return Optional.ofNullable(files.get(name));
        } finally {
            stateLock.readLock().unlock();
        }
    }

    /** Every record, sorted by name ({@link String#compareTo}). */
    public List<FileRecord> list() {
        stateLock.readLock().lock();
        try {
            return List.copyOf(files.values());
        } finally {
            stateLock.readLock().unlock();
        }
    }

    /** The number of files. */
    public int size() {
        stateLock.readLock().lock();
        try {
            return files.size();
        } finally {
            stateLock.readLock().unlock();
        }
    }

    /** Every record with the number of changes applied since the store opened, read together. */
    public record State(long changes, List<FileRecord> files) {
        public State {
            files = List.copyOf(files);
        }
    }

    /** The number of changes applied since the store opened: a cheap way to tell whether it changed. */
    public long changes() {
        stateLock.readLock().lock();
        try {
            return changes;
        } finally {
            stateLock.readLock().unlock();
        }
    }

    /** The records and the change count, as one consistent view. */
    public State state() {
        stateLock.readLock().lock();
        try {
            return new State(changes, List.copyOf(files.values()));
        } finally {
            stateLock.readLock().unlock();
        }
    }

    /** Every chunk any file refers to: what garbage collection must keep. */
    public Set<ChunkId> referencedChunks() {
        stateLock.readLock().lock();
        try {
            Set<ChunkId> ids = new HashSet<>();
            files.values().forEach(f -> f.chunks().forEach(c -> ids.add(c.id())));
            return Set.copyOf(ids);
        } finally {
            stateLock.readLock().unlock();
        }
    }

    /**
     * The files with at least one chunk replica on {@code node}, sorted by name. The first call
     * indexes every file by node (a tenth of a second for 100,000 files), which commands that
     * only list, like 'list', never pay.
     */
    public List<FileRecord> filesOn(NodeId node) {
        stateLock.readLock().lock();
        try {
            if (namesByNode != null) {
                return filesOnIndexed(node);
            }
        } finally {
            stateLock.readLock().unlock();
        }
        stateLock.writeLock().lock();
        try {
            if (namesByNode == null) {
                namesByNode = new HashMap<>();
                files.values().forEach(f -> index(f, true));
            }
            return filesOnIndexed(node);
        } finally {
            stateLock.writeLock().unlock();
        }
    }

    private List<FileRecord> filesOnIndexed(NodeId node) {
        List<FileRecord> result = new ArrayList<>();
        namesByNode.getOrDefault(node, Set.of()).forEach(name -> result.add(files.get(name)));
        return List.copyOf(result);
    }

    /** The chunks that {@code node} should hold. Costs the size of the answer, not of the store. */
    public Set<ChunkId> chunksOn(NodeId node) {
        Set<ChunkId> ids = new HashSet<>();
        for (FileRecord file : filesOn(node)) {
            file.chunks().stream().filter(c -> c.servers().contains(node)).forEach(c -> ids.add(c.id()));
        }
        return Set.copyOf(ids);
    }

    /** Inserts {@code record}, or replaces the record of the same name; durable when it returns. */
    public void put(FileRecord record) throws IOException {
        Objects.requireNonNull(record, "record");
        synchronized (writeMutex) {
            checkOpen();
            write(JournalEntry.put(record));
        }
    }

    /**
     * Removes the record named {@code name}; durable when it returns.
     *
     * @return whether there was such a record
     */
    public boolean remove(String name) throws IOException {
        Objects.requireNonNull(name, "name");
        synchronized (writeMutex) {
            checkOpen();
            if (!files.containsKey(name)) {
                return false; // nothing to journal; writers are excluded, so this cannot change
            }
            write(JournalEntry.remove(name));
            return true;
        }
    }

    /**
     * Gives the record named {@code from} the name {@code renamed.name()}, as {@code renamed}: one
     * journal line, so durable and atomic when it returns. A record already under the new name is
     * replaced; callers that must not replace one check first, under their own lock.
     *
     * @return whether there was a record named {@code from}
     */
    public boolean rename(String from, FileRecord renamed) throws IOException {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(renamed, "renamed");
        synchronized (writeMutex) {
            checkOpen();
            if (!files.containsKey(from)) {
                return false;
            }
            write(JournalEntry.rename(from, renamed));
            return true;
        }
    }

    /** A change for {@link #renameAll}: the record named {@code from} becomes {@code renamed}. */
    public record Rename(String from, FileRecord renamed) {
        public Rename {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(renamed, "renamed");
        }
    }

    /**
     * Inserts or replaces each of {@code records}, as {@link #put} does, in order; durable when it
     * returns. The changes go to the journal in lines of up to {@value #MAX_LINE_ENTRIES}, each
     * forced once and kept whole or not at all by a crash, so many changes cost a few forces, not
     * one each.
     *
     * @throws StoppedChangesException if a write fails: the changes before it are durable
     */
    public void putAll(List<FileRecord> records) throws IOException {
        synchronized (writeMutex) {
            checkOpen();
            writeAll(records.stream().map(JournalEntry::put).toList());
        }
    }

    /**
     * Removes the records named {@code names}, as {@link #remove} does, in lines as {@link #putAll}
     * writes them; names not stored are skipped.
     *
     * @throws StoppedChangesException if a write fails: the changes before it are durable
     */
    public void removeAll(List<String> names) throws IOException {
        synchronized (writeMutex) {
            checkOpen();
            writeAll(names.stream().filter(files::containsKey).map(JournalEntry::remove).toList());
        }
    }

    /**
     * Renames records, each as {@link #rename} does, in lines as {@link #putAll} writes them; a
     * rename of a name not stored is skipped. Each rename is one entry, so a crash leaves every
     * file under one name or the other.
     *
     * @throws StoppedChangesException if a write fails: the changes before it are durable
     */
    public void renameAll(List<Rename> renames) throws IOException {
        synchronized (writeMutex) {
            checkOpen();
            writeAll(renames.stream().filter(r -> files.containsKey(r.from()))
                    .map(r -> JournalEntry.rename(r.from(), r.renamed())).toList());
        }
    }

    /**
     * Fills an empty store with {@code records} (from a metadata copy), durable when it returns:
     * they are written as the snapshot, atomically, so a crash leaves the store empty or whole.
     *
     * @throws IllegalStateException if the store holds a file, or a journal entry, already
     */
    public void restore(Collection<FileRecord> records) throws IOException {
        synchronized (writeMutex) {
            checkOpen();
            if (!files.isEmpty() || journal.entries() > 0) {
                throw new IllegalStateException("metadata " + snapshotFile + " is not empty: "
                        + files.size() + " files; restore only fills an empty one");
            }
            TreeMap<String, FileRecord> restored = new TreeMap<>();
            records.forEach(r -> restored.put(r.name(), r));
            snapshotBytes = SnapshotFile.write(snapshotFile, restored.values());
            nextCompaction = threshold();
            stateLock.writeLock().lock();
            try {
                files.putAll(restored);
                namesByNode = null; // built again when first asked for
                changes++;
            } finally {
                stateLock.writeLock().unlock();
            }
        }
    }

    /**
     * Compacts a non-empty journal into the snapshot, then releases the files and the lock.
     * Further calls are no-ops; further changes throw {@link IllegalStateException}.
     */
    @Override
    public void close() throws IOException {
        synchronized (writeMutex) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                // a failed journal is left as the disk has it, for the next open to judge
                if (journal.entries() > 0 && !journal.failed()) {
                    compact();
                }
            } finally {
                try {
                    journal.close();
                } finally {
                    lockChannel.close(); // releases the lock, last
                }
            }
        }
    }

    /** Makes one line durable, then visible, then compacts if due; under the write mutex. */
    private void write(JournalEntry line) throws IOException {
        journal.append(line);
        apply(line);
        maybeCompact();
    }

    /**
     * Writes {@code entries} in order, in lines of at most {@value #MAX_LINE_ENTRIES} entries and
     * {@value #MAX_LINE_WEIGHT} records and chunks (so a line stays within a few MB), each line as
     * {@link #write} does; under the write mutex.
     */
    private void writeAll(List<JournalEntry> entries) throws IOException {
        int done = 0;
        while (done < entries.size()) {
            int end = done;
            int weight = 0;
            while (end < entries.size() && end - done < MAX_LINE_ENTRIES
                    && (end == done || weight + weight(entries.get(end)) <= MAX_LINE_WEIGHT)) {
                weight += weight(entries.get(end));
                end++;
            }
            try {
                write(JournalEntry.line(entries.subList(done, end)));
            } catch (IOException e) {
                throw new StoppedChangesException(done, entries.size(), end - done, e);
            }
            done = end;
        }
    }

    /** About how much of a journal line an entry takes: its record's chunks, and one. */
    private static int weight(JournalEntry entry) {
        return 1 + (entry.file() == null ? 0 : entry.file().chunks().size());
    }

    /** Applies one line's changes to the in-memory state, atomically for readers. */
    private void apply(JournalEntry line) {
        stateLock.writeLock().lock();
        try {
            for (JournalEntry change : line.changes()) {
                List<FileRecord> old = applyChange(files, change, Function.identity());
                if (namesByNode != null) {
                    old.forEach(f -> index(f, false));
                    if (change.file() != null) {
                        index(change.file(), true);
                    }
                }
            }
            changes++;
        } finally {
            stateLock.writeLock().unlock();
        }
    }

    /**
     * Sets or removes one change's records, as {@code item} makes them, in {@code files} (a rename
     * removes the name it leaves, then sets the file under its new one); returns what it replaced
     * or removed.
     */
    private static <T> List<T> applyChange(Map<String, T> files, JournalEntry change, Function<FileRecord, T> item) {
        List<T> old = new ArrayList<>(2);
        if (change.name() != null) {
            Optional.ofNullable(files.remove(change.name())).ifPresent(old::add);
        }
        if (change.file() != null) {
            Optional.ofNullable(files.put(change.file().name(), item.apply(change.file()))).ifPresent(old::add);
        }
        return old;
    }

    private void index(FileRecord file, boolean add) {
        for (ChunkRecord chunk : file.chunks()) {
            for (NodeId node : chunk.servers()) {
                if (add) {
                    namesByNode.computeIfAbsent(node, n -> new TreeSet<>()).add(file.name());
                } else {
                    Set<String> names = namesByNode.get(node);
                    if (names != null && names.remove(file.name()) && names.isEmpty()) {
                        namesByNode.remove(node);
                    }
                }
            }
        }
    }

    /** The journal size past which it is folded into the snapshot. */
    private long threshold() {
        // Past this, rewriting the snapshot costs no more than the journal writes already done,
        // so a change costs O(its own size) amortized, and a restart replays at most a
        // snapshot's worth of journal.
        return Math.max(minCompactionBytes, snapshotBytes);
    }

    private void maybeCompact() {
        if (journal.size() <= nextCompaction || journal.failed()) {
            return;
        }
        try {
            compact();
        } catch (IOException e) {
            // the change itself is durable in the journal; try again once it has grown as much
            nextCompaction = journal.size() + threshold();
            LOG.warn("metadata: cannot compact journal into {} (will retry later): {}",
                    snapshotFile, e.toString());
        }
    }

    /**
     * Folds the journal into a new snapshot. Callers hold {@link #writeMutex}, so the state does
     * not change underneath. The order is what makes a crash harmless: the snapshot is replaced
     * atomically first (a crash before that leaves the old snapshot and the full journal), and
     * only then is the journal emptied (a crash before that leaves the new snapshot and the old
     * journal, whose replay is idempotent: every entry sets a whole record or its absence).
     */
    private void compact() throws IOException {
        long bytes = SnapshotFile.write(snapshotFile, files.values());
        long folded = journal.entries();
        journal.reset();
        snapshotBytes = bytes;
        nextCompaction = threshold();
        LOG.debug("metadata: compacted {} journal entries into {} ({} files, {} bytes)", folded,
                snapshotFile, files.size(), bytes);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("metadata store " + snapshotFile + " is closed");
        }
    }

    /** Removes the temporary snapshots a crash during {@code AtomicFiles.write} leaves behind. */
    private static void deleteAbandonedTemporaryFiles(Path file) throws IOException {
        String prefix = "." + file.getFileName() + ".";
        try (DirectoryStream<Path> stale = Files.newDirectoryStream(file.getParent(), p -> {
            String n = p.getFileName().toString();
            return n.startsWith(prefix) && n.endsWith(".tmp");
        })) {
            for (Path tmp : stale) {
                LOG.info("metadata: deleting {}, an unfinished snapshot from an earlier crash", tmp);
                Files.deleteIfExists(tmp);
            }
        }
    }

    private static Path sibling(Path file, String suffix) {
        return file.resolveSibling(file.getFileName() + suffix);
    }
}
