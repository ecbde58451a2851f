package dfs.master;

import dfs.common.config.DfsConfig;
import dfs.common.crypto.Bindings;
import dfs.common.crypto.MasterKey;
import dfs.common.crypto.MasterKeySet;
import dfs.common.crypto.SecretKey256;
import dfs.common.crypto.WarmUp;
import dfs.common.tls.ClusterTls;
import dfs.common.wire.ChunkDeletion;
import dfs.common.wire.ChunkId;
import dfs.common.wire.NodeId;
import dfs.master.backup.MetadataCopies;
import dfs.master.cluster.ChunkClient;
import dfs.master.cluster.ChunkServerException;
import dfs.master.cluster.KnownServers;
import dfs.master.cluster.ServerRegistry;
import dfs.master.cluster.ServerStatus;
import dfs.master.discovery.Discovery;
import dfs.master.keys.KeyFiles;
import dfs.master.keys.Rekey;
import dfs.master.metadata.ChunkRecord;
import dfs.master.metadata.FileNames;
import dfs.master.metadata.FileRecord;
import dfs.master.metadata.MetadataOpening;
import dfs.master.metadata.MetadataStore;
import dfs.master.metadata.StoppedChangesException;
import dfs.master.repair.ChunkReport;
import dfs.master.repair.ChunkRepairer;
import dfs.master.repair.DrainReport;
import dfs.master.repair.Fsck;
import dfs.master.repair.FsckReport;
import dfs.master.repair.Healer;
import dfs.master.repair.InFlightChunks;
import dfs.master.repair.RepairOutcome;
import dfs.master.repair.RepairSettings;
import dfs.master.transfer.BadReplica;
import dfs.master.transfer.DownloadPipeline;
import dfs.master.transfer.FileBatch;
import dfs.master.transfer.Progress;
import dfs.master.transfer.TransferCancelledException;
import dfs.master.transfer.UploadPipeline;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master: the one place that turns user commands into cluster operations. It owns the master
 * key, the metadata, the view of the cluster and the transfer pipelines, and is the only writer of
 * the metadata: a file appears there only after every chunk of it is stored. Thread-safe.
 */
public final class Master implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Master.class);
    /**
     * Chunks an upload keeps in flight. A chunk waits for its servers' forced writes, and fewer
     * in flight leave the cores idle meanwhile: on 2 cores, 4 kept the processes 68-74% busy, 8
     * 75-83%, 12 80-87%. Twelve since 2026-12-03, as alternating pairs of bench runs went faster
     * each step (README 'What paid'); it holds at most 2 x 13 chunk buffers per upload.
     */
    static final int UPLOAD_IN_FLIGHT = 12;
    /** Chunks a download keeps in flight; eight gained nothing beyond the noise. */
    private static final int DOWNLOAD_IN_FLIGHT = 4;
    /** Chunks' worth of bytes a folder transfer keeps in flight over its files. */
    private static final int FOLDER_IN_FLIGHT = 4;
    /** At most this many rounds of moves drain a server; each round moves every copy it can. */
    private static final int DRAIN_ROUNDS = 8;
    private static final Duration DRAIN_RETRY = Duration.ofMillis(500);
    /** Files a folder transfer moves at once (within {@link #folderByteBudget()}). */
    private static final int FOLDER_FILES_AT_ONCE = 16;
    /** Chunk deletions a file removal sends at once. */
    private static final int DELETES_AT_ONCE = 8;

    private final DfsConfig config;
    /** The master keys; replaced only by a rekey, under the write lock of {@link #keysLock}. */
    private volatile MasterKeySet keys;
    /** Uploads and unwrapping hold the read lock; a rekey holds the write lock throughout. */
    private final ReadWriteLock keysLock = new ReentrantReadWriteLock();
    private final Optional<KeyFiles> keyFiles;
    private final MetadataStore metadata;
    private final Discovery discovery;
    private final ServerRegistry registry;
    /** The parts above that watch and reach the chunk servers, stopped together. */
    private final Cluster cluster;
    private final ChunkClient client;
    private final UploadPipeline uploads;
    private final DownloadPipeline downloads;
    private final ExecutorService cpu;
    private final ExecutorService io;
    private final ScheduledExecutorService scheduler;
    private final Object commitLock = new Object();
    private final InFlightChunks inFlight = new InFlightChunks();
    private final Fsck fsck;
    private final Healer healer;
    private final MetadataCopies copies;
    /** Sends metadata copies, apart from health checks and transfers: a large copy takes seconds. */
    private final ScheduledExecutorService copying;

    private Master(DfsConfig config, MasterKeySet keys, Optional<KeyFiles> keyFiles, MetadataStore metadata,
            Discovery discovery, Cluster cluster, RepairSettings repair) {
        this.config = config;
        this.keys = keys;
        this.keyFiles = keyFiles;
        this.metadata = metadata;
        this.discovery = discovery;
        this.cpu = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
                Threads.daemon("dfs-cpu"));
        this.cluster = cluster;
        this.io = cluster.io();
        this.scheduler = cluster.scheduler();
        this.client = cluster.client();
        this.registry = cluster.registry();
        int chunkSize = Math.toIntExact(config.chunkSize().bytes());
        this.uploads = new UploadPipeline(registry, client, config.replicationFactor(), config.replicationPath(),
                chunkSize, UPLOAD_IN_FLIGHT, cpu, inFlight);
        this.downloads = new DownloadPipeline(registry, client, DOWNLOAD_IN_FLIGHT, cpu, io);
        int r = config.replicationFactor();
        this.fsck = new Fsck(registry, client, metadata, r, io, Clock.systemUTC());
        this.healer = new Healer(fsck, new ChunkRepairer(registry, client, metadata, commitLock, inFlight, r),
                registry, client, metadata, inFlight, r, repair, Clock.systemUTC());
        this.copies = new MetadataCopies(metadata, registry, client, () -> this.keys, Clock.systemUTC());
        this.copying = Executors.newSingleThreadScheduledExecutor(Threads.daemon("dfs-metadata-copies"));
        healer.holdOrphansWhile(copies::holdingBack);
    }

    /**
     * How long one chunk request may take before its replica is given up for another: a few
     * seconds plus the chunk at a slow 1 MiB/s. A host whose cable is pulled drops packets
     * silently, so this, not a refused connection, is what moves a transfer on.
     */
    static Duration requestTimeout(DfsConfig config) {
        return Duration.ofSeconds(5).plusMillis(config.chunkSize().bytes() * 1000 / (1024 * 1024));
    }

    /**
     * Starts a master: opens the metadata (taking its lock) and starts health checks of whatever
     * {@code discovery} finds.
     */
    public static Master start(DfsConfig config, MasterKey masterKey, Discovery discovery, ClusterTls tls)
            throws IOException {
        return start(config, masterKey, discovery, tls, RepairSettings.forConfig(config));
    }

    /** As {@link #start(DfsConfig, MasterKey, Discovery, ClusterTls)}, with the healer paced by {@code repair}. */
    public static Master start(DfsConfig config, MasterKey masterKey, Discovery discovery, ClusterTls tls,
            RepairSettings repair) throws IOException {
        try (MetadataOpening metadata = MetadataOpening.start(config.metadataFile())) {
            return start(config, MasterKeySet.of(masterKey), Optional.empty(), discovery, tls, repair, metadata);
        }
    }

    /**
     * Starts a master whose keys come from {@code keyFiles} (asking for a passphrase if they are
     * protected); such a master can also {@link #rekey()}.
     */
    public static Master start(DfsConfig config, KeyFiles keyFiles, Discovery discovery, ClusterTls tls)
            throws IOException {
        try (MetadataOpening metadata = MetadataOpening.start(config.metadataFile())) {
            return start(config, keyFiles, discovery, tls, metadata);
        }
    }

    /**
     * As {@link #start(DfsConfig, KeyFiles, Discovery, ClusterTls)}, taking the metadata from
     * {@code metadata}, whose opening the caller started early so that it overlaps the rest of the
     * start-up. If this throws, {@code metadata} may not have been taken: the caller closes it.
     */
    public static Master start(DfsConfig config, KeyFiles keyFiles, Discovery discovery, ClusterTls tls,
            MetadataOpening metadata) throws IOException {
        MasterKeySet keys = keyFiles.load();
        if (keys.isRotating()) {
            log.warn("{} exists: a rekey was interrupted; every file stays readable, run 'rekey' to finish it",
                    keyFiles.nextFile());
        }
        return start(config, keys, Optional.of(keyFiles), discovery, tls, RepairSettings.forConfig(config), metadata);
    }

    private static Master start(DfsConfig config, MasterKeySet keys, Optional<KeyFiles> keyFiles,
            Discovery discovery, ClusterTls tls, RepairSettings repair, MetadataOpening opening) throws IOException {
        Cluster cluster = Cluster.start(config, discovery, tls); // probes servers while the metadata is read
        MetadataStore metadata = null;
        Master m;
        try {
            metadata = opening.take();
            // after the metadata: on two cores the warm-up would slow the read everything here waits for
            WarmUp.inBackground();
            m = new Master(config, keys, keyFiles, metadata, discovery, cluster, repair);
        } catch (IOException | RuntimeException e) {
            cluster.close();
            if (metadata != null) {
                metadata.close();
            }
            throw e;
        }
        m.healer.start();
        long every = config.heartbeatInterval().toMillis();
        m.copying.scheduleWithFixedDelay(m::refreshCopies, every, every, TimeUnit.MILLISECONDS);
        return m;
    }

    /** The master's view of the chunk servers, started before the metadata is read so the two overlap. */
    private record Cluster(ExecutorService io, ScheduledExecutorService scheduler, ChunkClient client,
            ServerRegistry registry) {
        static Cluster start(DfsConfig config, Discovery discovery, ClusterTls tls) {
            ExecutorService io = Executors.newCachedThreadPool(Threads.daemon("dfs-io"));
            ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
                    Threads.daemon("dfs-heartbeat"));
            ChunkClient client = new ChunkClient(tls, requestTimeout(config), io);
            Cluster cluster = new Cluster(io, scheduler, client, new ServerRegistry(discovery, client,
                    config.heartbeatInterval(), config.deadAfter(), Clock.systemUTC(), io));
            try {
                cluster.registry.remember(KnownServers.load(KnownServers.fileFor(config.metadataFile())));
                cluster.registry.start(scheduler);
            } catch (RuntimeException e) {
                cluster.close();
                throw e;
            }
            return cluster;
        }

        /** Stops what {@link #start} started. */
        void close() {
            registry.close();
            scheduler.shutdownNow();
            client.close(); // closes its connections, so no io thread stays blocked on one
            io.shutdownNow();
        }
    }

    /** Waits until {@code count} servers are live, or {@code timeout}; returns the live ones. */
    public List<ServerStatus> awaitServers(int count, Duration timeout) {
        return registry.awaitLive(count, timeout);
    }

    /**
     * Uploads {@code source} as {@code name}; replaces an existing file of that name only once complete.
     *
     * @throws IOException also when the chunk servers hold another master's metadata copy (see
     *     {@link MetadataCopies#requireNoOtherMaster()}): nothing is stored
     */
    public FileRecord upload(Path source, String name, Progress progress) throws IOException {
        FileNames.check(name);
        copies.requireNoOtherMaster();
        return store(source, name, progress);
    }

    private FileRecord store(Path source, String name, Progress progress) throws IOException {
        if (!Files.isRegularFile(source)) {
            throw new NoSuchFileException(source.toString(), null, "not a regular file");
        }
        Optional<FileRecord> replaced;
        FileRecord record;
        keysLock.readLock().lock(); // a rekey waits, so this file's key is wrapped under a key that stays
        try {
            record = uploads.upload(source, name, keys.wrapping(), progress);
            try {
                synchronized (commitLock) {
                    replaced = metadata.get(name);
                    metadata.put(record);
                }
            } finally {
                // committed (or never will be): from now on the metadata, not the claim, protects them
                inFlight.releaseAll(record.chunks().stream().map(ChunkRecord::id).toList());
            }
        } finally {
            keysLock.readLock().unlock();
        }
        replaced.ifPresent(old -> removeChunks(List.of(old)));
        return record;
    }

    /** Downloads {@code name} to {@code destination}, verified; returns the replicas that failed on the way. */
    public List<BadReplica> download(String name, Path destination, Progress progress) throws IOException {
        FileRecord record;
        SecretKey256 key;
        keysLock.readLock().lock(); // record and keys from the same side of a rekey
        try {
            record = require(name);
            key = keys.unwrap(record.wrappedKey(), Bindings.fileKey(record.fileId().hex(),
                    record.size(), record.chunkSize(), record.chunkCount(), record.sha256()), name).key();
        } finally {
            keysLock.readLock().unlock();
        }
        List<BadReplica> bad = downloads.download(record, key, destination, progress);
        if (!bad.isEmpty()) {
            log.warn("{} replica(s) of {} were unusable during download; checking them", bad.size(), name);
            Set<Integer> chunks = new TreeSet<>();
            bad.forEach(b -> chunks.add(b.index()));
            healer.repairSoon(name, chunks);
        }
        return bad;
    }

    /** What a folder transfer did: its files in the order transferred, and replicas that failed on the way. */
    public record FolderTransfer(List<FileRecord> files, List<BadReplica> badReplicas) {
        public FolderTransfer {
            files = List.copyOf(files);
            badReplicas = List.copyOf(badReplicas);
        }

        /** Plaintext bytes transferred. */
        public long bytes() {
            return files.stream().mapToLong(FileRecord::size).sum();
        }
    }

    /**
     * Uploads every regular file under {@code folder}, recursively, as {@code prefix/<relative path>}
     * with {@code /} between folders. Symbolic links are skipped (never followed), so a link cannot
     * pull in files from outside the folder. Every name is checked before anything is stored. Files
     * go several at a time ({@link FileBatch}); after the first failure no new file starts and the
     * message names the file that failed (files stored before it stay).
     */
    public FolderTransfer uploadFolder(Path folder, String prefix, Progress progress) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new NoSuchFileException(folder.toString(), null, "not a folder");
        }
        FileNames.check(prefix);
        List<Path> sources;
        try (Stream<Path> walk = Files.walk(folder)) {
            sources = walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
        }
        Map<Path, String> names = new LinkedHashMap<>();
        List<FileBatch.Job<FileRecord>> jobs = new ArrayList<>(sources.size());
        long total = 0;
        long stored = 0;
        for (Path source : sources) {
            StringBuilder name = new StringBuilder(prefix);
            for (Path part : folder.relativize(source)) {
                name.append('/').append(part);
            }
            try {
                names.put(source, FileNames.check(name.toString()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + " cannot be stored: " + e.getMessage(), e);
            }
            long size = Files.size(source);
            total += size;
            stored += uploads.storedBytes(size);
            String storedAs = names.get(source);
            jobs.add(new FileBatch.Job<>(size, () -> store(source, storedAs, advanceOnly(progress))));
        }
        copies.requireNoOtherMaster();
        uploads.requireRoom(prefix + "/", stored);
        progress.start(prefix + "/", total);
        FileBatch.Outcome<FileRecord> outcome;
        try {
            outcome = FileBatch.run(jobs, FOLDER_FILES_AT_ONCE, folderByteBudget(), Threads.daemon("dfs-folder"));
        } finally {
            progress.finish();
        }
        throwIfCancelled("folder upload of " + prefix + "/", outcome, names.size(), "those stay stored");
        if (outcome.failure().isPresent()) {
            FileBatch.Failure failure = outcome.failure().get();
            Path source = sources.get(failure.index());
            throw new IOException("folder upload stopped at " + source + " (as " + names.get(source) + ") after "
                    + outcome.completed().size() + " of " + names.size() + " files: " + oneLine(failure.cause()),
                    failure.cause());
        }
        return new FolderTransfer(outcome.completed(), List.of());
    }

    /**
     * Bytes a folder transfer keeps in flight over all its files, so a folder of small files goes
     * many at a time and a large file alone.
     */
    private long folderByteBudget() {
        return (long) FOLDER_IN_FLIGHT * config.chunkSize().bytes();
    }

    /** As {@link #filesUnder}; none is an error that says what to do. */
    public List<FileRecord> requireUnder(String prefix) throws NoSuchFileException {
        List<FileRecord> files = filesUnder(prefix);
        if (files.isEmpty()) {
            throw new NoSuchFileException(prefix + "/", null, "no stored file under this folder; 'list' shows the stored files");
        }
        return files;
    }

    /** The stored files whose names start with {@code prefix/}, sorted by name. */
    public List<FileRecord> filesUnder(String prefix) {
        String start = FileNames.check(prefix) + "/";
        return metadata.list().stream().filter(f -> f.name().startsWith(start))
                .sorted(Comparator.comparing(FileRecord::name)).toList();
    }

    /**
     * Downloads every file under {@code prefix/} into {@code destination}, each to
     * {@code destination/<its name>} (so {@code photos/2024/a.jpg} lands in
     * {@code destination/photos/2024/a.jpg}), verified, several at a time as uploads go; after the
     * first failure no new file starts and the message names the file that failed (files written
     * before it stay).
     */
    public FolderTransfer downloadFolder(String prefix, Path destination, Progress progress) throws IOException {
        List<FileRecord> files = requireUnder(prefix);
        Path root = destination.toAbsolutePath().normalize();
        List<FileBatch.Job<List<BadReplica>>> jobs = new ArrayList<>(files.size());
        for (FileRecord f : files) {
            Path target = root.resolve(FileNames.check(f.name())).normalize();
            if (!target.startsWith(root)) { // FileNames forbids this; checked again because it guards the disk
                throw new IllegalArgumentException(f.name() + " would be written outside " + root);
            }
            jobs.add(new FileBatch.Job<>(f.size(), () -> download(f.name(), target, advanceOnly(progress))));
        }
        progress.start(prefix + "/", files.stream().mapToLong(FileRecord::size).sum());
        FileBatch.Outcome<List<BadReplica>> outcome;
        try {
            outcome = FileBatch.run(jobs, FOLDER_FILES_AT_ONCE, folderByteBudget(), Threads.daemon("dfs-folder"));
        } finally {
            progress.finish();
        }
        throwIfCancelled("folder download of " + prefix + "/", outcome, files.size(), "those stay written");
        if (outcome.failure().isPresent()) {
            FileBatch.Failure failure = outcome.failure().get();
            throw new IOException("folder download stopped at " + files.get(failure.index()).name() + " after "
                    + outcome.completed().size() + " of " + files.size() + " files: " + oneLine(failure.cause()),
                    failure.cause());
        }
        List<BadReplica> bad = new ArrayList<>();
        outcome.completed().forEach(bad::addAll);
        return new FolderTransfer(files, bad);
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }

    /** One progress over a whole folder: each file only advances it. */
    private static Progress advanceOnly(Progress folder) {
        return new Progress() {
            @Override
            public void advance(long bytes) {
                folder.advance(bytes);
            }

            @Override
            public boolean cancelled() {
                return folder.cancelled();
            }
        };
    }

    /** A folder transfer's files were cancelled: the message says which of them stay. */
    private static void throwIfCancelled(String what, FileBatch.Outcome<?> outcome, int total, String kept)
            throws TransferCancelledException {
        if (outcome.failure().isPresent() && outcome.failure().get().cause() instanceof TransferCancelledException) {
            throw new TransferCancelledException(what + " cancelled after " + outcome.completed().size() + " of "
                    + total + " files; " + kept);
        }
    }

    /** Removes {@code name} from the metadata, then its chunks from the servers. */
    public FileRecord delete(String name) throws IOException {
        FileRecord record;
        synchronized (commitLock) {
            record = require(name);
            metadata.remove(name);
        }
        removeChunks(List.of(record));
        return record;
    }

    /**
     * Removes every file under {@code prefix/} from the metadata, durably and in journal lines of
     * many files each ({@link MetadataStore#removeAll}), then their chunks from the servers. A
     * metadata write that fails stops it: the files removed by then stay removed (their chunks are
     * deleted all the same) and the message says how many.
     */
    public List<FileRecord> deleteFolder(String prefix) throws IOException {
        List<FileRecord> files;
        List<FileRecord> removed;
        StoppedChangesException failure = null;
        synchronized (commitLock) {
            files = requireUnder(prefix);
            try {
                metadata.removeAll(files.stream().map(FileRecord::name).toList());
                removed = files;
            } catch (StoppedChangesException e) {
                failure = e;
                removed = files.subList(0, e.durable());
            }
        }
        removeChunks(removed);
        if (failure != null) {
            throw stopped("folder delete of " + prefix + "/", "been deleted", failure);
        }
        return removed;
    }

    /** A folder change that stopped part-way, in one line: how far it got, what is unknown, why. */
    private static IOException stopped(String what, String done, StoppedChangesException e) {
        return new IOException(what + " stopped after " + e.durable() + " of " + e.total() + " files (" + e.unknown()
                + " more may have " + done + "; restarting the master shows which): " + oneLine(e), e);
    }

    /**
     * Gives the stored file {@code from} the name {@code to}: a metadata change only (one journal
     * line), as a file's key and chunks are bound to its id, not its name.
     *
     * @throws NoSuchFileException if {@code from} is not stored
     * @throws FileAlreadyExistsException if a file named {@code to} is: a rename never replaces one
     * @throws IllegalArgumentException if {@code to} is not a valid name
     */
    public FileRecord rename(String from, String to) throws IOException {
        FileNames.check(to);
        synchronized (commitLock) {
            FileRecord record = require(from);
            requireFree(to);
            FileRecord renamed = record.withName(to);
            metadata.rename(from, renamed);
            return renamed;
        }
    }

    /**
     * Renames every file under {@code from/} to the same name under {@code to/} ({@code photos/a.jpg}
     * to {@code pictures/a.jpg}), each as {@link #rename} does, in journal lines of many files each
     * ({@link MetadataStore#renameAll}). Every new name is checked free before the first file
     * moves; a metadata write that fails stops it, and the message says how many moved (each file
     * is under one name or the other, never lost).
     */
    public List<FileRecord> renameFolder(String from, String to) throws IOException {
        FileNames.check(to);
        synchronized (commitLock) {
            List<FileRecord> files = requireUnder(from);
            List<MetadataStore.Rename> renames = new ArrayList<>();
            for (FileRecord f : files) {
                String name = FileNames.check(to + f.name().substring(from.length()));
                requireFree(name);
                renames.add(new MetadataStore.Rename(f.name(), f.withName(name)));
            }
            try {
                metadata.renameAll(renames);
            } catch (StoppedChangesException e) {
                throw stopped("folder rename of " + from + "/", "moved", e);
            }
            return renames.stream().map(MetadataStore.Rename::renamed).toList();
        }
    }

    private void requireFree(String name) throws FileAlreadyExistsException {
        if (metadata.get(name).isPresent()) {
            throw new FileAlreadyExistsException(name, null,
                    "a file of this name is stored already; delete it first or choose another name");
        }
    }

    public List<FileRecord> list() {
        return metadata.list();
    }

    public Optional<FileRecord> file(String name) {
        return metadata.get(name);
    }

    /**
     * Rotates the master key (see {@link Rekey}): every file's data key is re-wrapped under a new
     * master key, which then replaces the key file. Uploads wait while it runs.
     *
     * @throws IllegalStateException if this master was started from a key rather than key files
     */
    public Rekey.Result rekey() throws IOException {
        return rekey(new Rekey(keyFiles.orElseThrow(() -> new IllegalStateException(
                "this master was started without its key files, so it cannot rotate its key"))));
    }

    /** Runs {@code rotation} with uploads excluded; the keys in use follow each durable step. */
    public Rekey.Result rekey(Rekey rotation) throws IOException {
        keysLock.writeLock().lock();
        try {
            return rotation.run(metadata, keys, commitLock, installed -> keys = installed);
        } finally {
            copies.resealAll(); // the copies the servers hold are sealed under the old key
            keysLock.writeLock().unlock();
        }
    }

    /**
     * Fills an empty metadata from the newest metadata copy the live chunk servers hold, after
     * the master machine lost its own (see {@link MetadataCopies}).
     */
    public MetadataCopies.Recovered recover() throws IOException {
        return copies.recover(keys);
    }

    /** Where the metadata copies on the chunk servers stand, once every live server behind is sent one. */
    public MetadataCopies.Standing metadataCopies() {
        return copies.standing();
    }

    /** Whether this master holds back metadata copies and orphan deletion until a {@link #recover}. */
    public boolean copiesHeldBack() {
        return copies.holdingBack();
    }

    /** Fails, saying what to do, unless the metadata is empty, as {@link #recover} needs. */
    public void requireEmptyMetadata() throws IOException {
        copies.requireEmpty();
    }

    private void refreshCopies() {
        try {
            copies.refresh();
        } catch (RuntimeException e) {
            log.warn("metadata copy: {}", e.toString());
        }
    }

    /** What the master knows of the cluster now. */
    public ClusterStatus status() {
        return new ClusterStatus(registry.all(), discovery.rejected(), metadata.size(),
                config.replicationFactor(), healer.status(), registry.draining());
    }

    /**
     * Checks every file now: presence from one chunk listing per live server, and with
     * {@code deep} every replica fetched and hashed. Changes nothing.
     */
    public FsckReport fsck(boolean deep) {
        FsckReport report = fsck.check(deep);
        healer.record(report);
        return report;
    }

    /**
     * Repairs every damaged chunk of {@code report} now, and moves a copy of each chunk whose
     * copies share a machine to one that holds none; a few at a time, see {@link ChunkRepairer}.
     */
    public List<RepairOutcome> repair(FsckReport report) {
        List<RepairOutcome> outcomes = new ArrayList<>(healer.repair(report.damagedChunks()));
        outcomes.addAll(healer.spread(report.crowded()));
        return outcomes;
    }

    /**
     * Moves every copy the metadata records on the chunk server {@code server} (a node id, the
     * start of one, or {@code host:port}, as 'status' shows them) to other servers, so that it can
     * be stopped without leaving any chunk short of copies: the server is marked drained (its health
     * reports say so across restarts, until {@link #undrain}, and no master places copies on it),
     * then rounds of {@link ChunkRepairer#moveOff moves} run until no chunk is recorded on it, or a
     * round moves nothing. Each copy is copied and verified, recorded in
     * place of the old one, then deleted from the server.
     *
     * @throws IllegalArgumentException when {@code server} names no known server, or several
     * @throws IOException when the server is not live: its copies cannot be read from it
     */
    public DrainReport drain(String server) throws IOException {
        ServerStatus target = namedServer(server);
        if (target.liveness() == ServerStatus.Liveness.SUSPECT) {
            throw new IOException("chunk server " + server + " did not answer its last health check; drain it once"
                    + " 'status' shows it live again");
        }
        if (!target.isLive() || target.node().isEmpty()) {
            throw new IOException("chunk server " + server + " is " + target.liveness().name().toLowerCase(Locale.ROOT)
                    + ", so its copies cannot be read from it; start it again to drain it, or leave it stopped:"
                    + " once down for dead_after, the healer copies its chunks from their other copies");
        }
        NodeId node = target.node().get();
        try {
            client.markDraining(target.address(), true); // so that no master places copies on it
        } catch (ChunkServerException e) {
            throw new IOException("could not mark chunk server " + server + " drained, so nothing was moved: "
                    + e.getMessage(), e);
        }
        registry.probe(); // placement reads the mark from the health report
        log.info("draining chunk server {} at {}", node, target.address());
        long moved = 0;
        List<RepairOutcome> failed = List.of();
        List<ChunkReport> on = fsck.chunksOn(node);
        for (int round = 0; !on.isEmpty() && round < DRAIN_ROUNDS; round++) {
            List<RepairOutcome> outcomes = healer.moveOff(on, node);
            long now = outcomes.stream().filter(o -> o.dropped().contains(node)).count();
            moved += now;
            failed = outcomes.stream().filter(o -> !o.dropped().contains(node)).toList();
            if (now == 0) {
                if (failed.stream().allMatch(o -> o.result().leavesChunkUnrepaired())) {
                    break; // none of them can move: another round would not either
                }
                sleepQuietly(DRAIN_RETRY); // uploads or repairs hold those chunks: let them finish
            }
            on = fsck.chunksOn(node);
        }
        int left = on.size();
        log.info("drained chunk server {}: {} copies moved, {} chunks left on it", node, moved, left);
        return new DrainReport(target, moved, left == 0 ? List.of() : failed, left);
    }

    /**
     * Takes back the chunk server {@code server} (named as {@link #drain} takes it) that was
     * drained: its mark is cleared, and masters place new copies on it again. Nothing moves back
     * at once; uploads and repairs fill it as they fill any server with room.
     *
     * @return the server, as it was before
     * @throws IllegalArgumentException when {@code server} names no known server, or several
     * @throws IOException when the server does not answer, or refuses
     */
    public ServerStatus undrain(String server) throws IOException {
        ServerStatus target = namedServer(server);
        if (target.liveness() == ServerStatus.Liveness.SUSPECT) {
            throw new IOException("chunk server " + server + " did not answer its last health check; take it back"
                    + " once 'status' shows it live again");
        }
        if (!target.isLive()) {
            throw new IOException("chunk server " + server + " is " + target.liveness().name().toLowerCase(Locale.ROOT)
                    + "; a drained mark stays in its storage folder: start it, then take it back");
        }
        try {
            client.markDraining(target.address(), false);
        } catch (ChunkServerException e) {
            throw new IOException("could not take chunk server " + server + " back: " + e.getMessage(), e);
        }
        registry.probe(); // placement reads the mark from the health report
        log.info("took back {}", target.describe());
        return target;
    }

    private ServerStatus namedServer(String server) {
        List<ServerStatus> named = registry.named(server);
        if (named.isEmpty()) {
            throw new IllegalArgumentException("no chunk server '" + server + "' is known; give its node id or"
                    + " host:port as 'status' shows them");
        }
        if (named.size() > 1) {
            throw new IllegalArgumentException("'" + server + "' names " + named.size() + " chunk servers; give more"
                    + " of the node id, as 'status' shows it");
        }
        return named.get(0);
    }

    private static void sleepQuietly(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Makes this master a guest of a running cluster, for files it deletes again itself (the bench):
     * see {@link MetadataCopies#beGuest()}. Call it before storing anything.
     */
    public void beGuest() {
        copies.beGuest();
    }

    /** Forces one round of health checks now (tests and the console's {@code status}). */
    public void refresh() {
        registry.probe();
    }

    public DfsConfig config() {
        return config;
    }

    /** The stored file {@code name}; its absence is an error that says what to do. */
    public FileRecord require(String name) throws NoSuchFileException {
        return metadata.get(name).orElseThrow(() -> new NoSuchFileException(name, null,
                "no such file in dfs; 'list' shows the stored files"));
    }

    /**
     * Deletes the replicas of removed files: to each chunk server, requests of up to {@value
     * ChunkDeletion#MAX_IDS} chunks ({@link ChunkClient#deleteMany}), {@value #DELETES_AT_ONCE} requests at a time,
     * taken from each server in turn.
     * A server makes each request's deletions durable with one fsync per folder, so many small
     * files cost a few requests, not one request and one fsync per chunk. Best effort: a replica
     * that cannot be deleted now is an orphan for the healer, which removes chunks no file refers to.
     */
    private void removeChunks(List<FileRecord> records) {
        Map<NodeId, List<ChunkId>> byNode = new LinkedHashMap<>();
        for (FileRecord record : records) {
            for (ChunkRecord chunk : record.chunks()) {
                for (NodeId node : chunk.servers()) {
                    byNode.computeIfAbsent(node, n -> new ArrayList<>()).add(chunk.id());
                }
            }
        }
        Semaphore slots = new Semaphore(DELETES_AT_ONCE);
        List<CompletableFuture<Void>> deletes = new ArrayList<>();
        for (Map.Entry<NodeId, List<ChunkId>> request : inTurns(byNode, ChunkDeletion.MAX_IDS)) {
            registry.addressOf(request.getKey()).ifPresent(address ->
                    deletes.add(deleteReplicas(request.getKey(), address, request.getValue(), slots)));
        }
        for (CompletableFuture<Void> d : deletes) {
            try {
                d.join();
            } catch (CompletionException e) {
                log.warn("chunks of deleted files stay for the healer to remove: {}", e.toString());
            }
        }
    }

    /**
     * The chunks of {@code byNode} as requests of up to {@code perRequest} ids, one to each server
     * in turn, so that the requests running at a time spread over the servers' disks.
     */
    static List<Map.Entry<NodeId, List<ChunkId>>> inTurns(Map<NodeId, List<ChunkId>> byNode, int perRequest) {
        List<Map.Entry<NodeId, List<ChunkId>>> requests = new ArrayList<>();
        int most = byNode.values().stream().mapToInt(List::size).max().orElse(0);
        for (int from = 0; from < most; from += perRequest) {
            for (Map.Entry<NodeId, List<ChunkId>> server : byNode.entrySet()) {
                List<ChunkId> ids = server.getValue();
                if (from < ids.size()) {
                    requests.add(Map.entry(server.getKey(), ids.subList(from, Math.min(ids.size(), from + perRequest))));
                }
            }
        }
        return requests;
    }

    /** Starts deleting replicas on one server once one of {@code slots} is free, and gives the slot back when done. */
    private CompletableFuture<Void> deleteReplicas(NodeId node, InetSocketAddress address, List<ChunkId> ids,
            Semaphore slots) {
        slots.acquireUninterruptibly();
        Runnable delete = () -> {
            try {
                client.deleteMany(address, ids);
            } catch (ChunkServerException e) {
                log.warn("{} chunks of deleted files stay on node {} for now, for the healer to remove: {}", ids.size(),
                        node, e.getMessage());
            }
        };
        try {
            return CompletableFuture.runAsync(delete, io).whenComplete((done, failed) -> slots.release());
        } catch (RejectedExecutionException closing) {
            slots.release();
            delete.run(); // the master is closing: finish on this thread
            return CompletableFuture.completedFuture(null);
        }
    }

    @Override
    public void close() throws IOException {
        KnownServers.save(KnownServers.fileFor(config.metadataFile()), registry.all());
        healer.close();
        copying.shutdownNow();
        try {
            copying.awaitTermination(10, TimeUnit.SECONDS);
            copies.flush(); // what this master changed reaches the servers before it goes
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("metadata copy: not sent at exit: {}", e.toString());
        }
        cpu.shutdownNow();
        cluster.close();
        try {
            discovery.close();
        } catch (Exception e) {
            log.debug("closing discovery: {}", e.toString());
        }
        metadata.close();
    }
}
