package dfs.master;

import dfs.common.config.DfsConfig;
import dfs.common.crypto.Bindings;
import dfs.common.crypto.MasterKey;
import dfs.common.crypto.MasterKeySet;
import dfs.common.crypto.SecretKey256;
import dfs.common.tls.ClusterTls;
import dfs.common.wire.NodeId;
import dfs.master.cluster.ChunkClient;
import dfs.master.cluster.ChunkServerException;
import dfs.master.cluster.ServerRegistry;
import dfs.master.cluster.ServerStatus;
import dfs.master.discovery.Discovery;
import dfs.master.keys.KeyFiles;
import dfs.master.keys.Rekey;
import dfs.master.metadata.ChunkRecord;
import dfs.master.metadata.FileNames;
import dfs.master.metadata.FileRecord;
import dfs.master.metadata.MetadataStore;
import dfs.master.transfer.BadReplica;
import dfs.master.transfer.DownloadPipeline;
import dfs.master.transfer.Progress;
import dfs.master.transfer.UploadPipeline;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master: the one place that turns user commands into cluster operations. It owns the master
 * key, the metadata, the view of the cluster and the transfer pipelines, and is the only writer of
 * the metadata: a file appears there only after every chunk of it is stored. Thread-safe.
 */
public final class Master implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Master.class);
    private static final int IN_FLIGHT = 4;

    private final DfsConfig config;
    /** The master keys; replaced only by a rekey, under the write lock of {@link #keysLock}. */
    private volatile MasterKeySet keys;
    /** Uploads and unwrapping hold the read lock; a rekey holds the write lock throughout. */
    private final ReadWriteLock keysLock = new ReentrantReadWriteLock();
    private final Optional<KeyFiles> keyFiles;
    private final MetadataStore metadata;
    private final Discovery discovery;
    private final ServerRegistry registry;
    private final ChunkClient client;
    private final UploadPipeline uploads;
    private final DownloadPipeline downloads;
    private final ExecutorService cpu;
    private final ExecutorService io;
    private final ScheduledExecutorService scheduler;
    private final Object commitLock = new Object();

    private Master(DfsConfig config, MasterKeySet keys, Optional<KeyFiles> keyFiles, MetadataStore metadata,
            Discovery discovery, ClusterTls tls) {
        this.config = config;
        this.keys = keys;
        this.keyFiles = keyFiles;
        this.metadata = metadata;
        this.discovery = discovery;
        this.cpu = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
                Threads.daemon("dfs-cpu"));
        this.io = Executors.newCachedThreadPool(Threads.daemon("dfs-io"));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(Threads.daemon("dfs-heartbeat"));
        this.client = new ChunkClient(tls, Duration.ofSeconds(60), io);
        this.registry = new ServerRegistry(discovery, client, config.heartbeatInterval(), config.deadAfter(),
                Clock.systemUTC(), io);
        int chunkSize = Math.toIntExact(config.chunkSize().bytes());
        this.uploads = new UploadPipeline(registry, client, config.replicationFactor(), chunkSize, IN_FLIGHT, cpu);
        this.downloads = new DownloadPipeline(registry, client, IN_FLIGHT, cpu);
    }

    /**
     * Starts a master: opens the metadata (taking its lock) and starts health checks of whatever
     * {@code discovery} finds.
     */
    public static Master start(DfsConfig config, MasterKey masterKey, Discovery discovery, ClusterTls tls)
            throws IOException {
        return start(config, MasterKeySet.of(masterKey), Optional.empty(), discovery, tls);
    }

    /**
     * Starts a master whose keys come from {@code keyFiles} (asking for a passphrase if they are
     * protected); such a master can also {@link #rekey()}.
     */
    public static Master start(DfsConfig config, KeyFiles keyFiles, Discovery discovery, ClusterTls tls)
            throws IOException {
        MasterKeySet keys = keyFiles.load();
        if (keys.isRotating()) {
            log.warn("{} exists: a rekey was interrupted; every file stays readable, run 'rekey' to finish it",
                    keyFiles.nextFile());
        }
        return start(config, keys, Optional.of(keyFiles), discovery, tls);
    }

    private static Master start(DfsConfig config, MasterKeySet keys, Optional<KeyFiles> keyFiles,
            Discovery discovery, ClusterTls tls) throws IOException {
        MetadataStore metadata = MetadataStore.open(config.metadataFile());
        Master m = new Master(config, keys, keyFiles, metadata, discovery, tls);
        m.registry.start(m.scheduler);
        return m;
    }

    /** Waits until {@code count} servers are live, or {@code timeout}; returns the live ones. */
    public List<ServerStatus> awaitServers(int count, Duration timeout) {
        return registry.awaitLive(count, timeout);
    }

    /** Uploads {@code source} as {@code name}; replaces an existing file of that name only once complete. */
    public FileRecord upload(Path source, String name, Progress progress) throws IOException {
        FileNames.check(name);
        if (!Files.isRegularFile(source)) {
            throw new NoSuchFileException(source.toString(), null, "not a regular file");
        }
        Optional<FileRecord> replaced;
        keysLock.readLock().lock(); // a rekey waits, so this file's key is wrapped under a key that stays
        try {
            FileRecord record = uploads.upload(source, name, keys.wrapping(), progress);
            synchronized (commitLock) {
                replaced = metadata.get(name);
                metadata.put(record);
            }
            replaced.ifPresent(this::removeChunks);
            return record;
        } finally {
            keysLock.readLock().unlock();
        }
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
            log.warn("{} replica(s) of {} were unusable during download", bad.size(), name);
        }
        return bad;
    }

    /** Removes {@code name} from the metadata, then its chunks from the servers. */
    public FileRecord delete(String name) throws IOException {
        FileRecord record;
        synchronized (commitLock) {
            record = require(name);
            metadata.remove(name);
        }
        removeChunks(record);
        return record;
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
            keysLock.writeLock().unlock();
        }
    }

    /** What the master knows of the cluster now. */
    public ClusterStatus status() {
        return new ClusterStatus(registry.all(), discovery.rejected(), metadata.size(),
                config.replicationFactor());
    }

    /** Forces one round of health checks now (tests and the console's {@code status}). */
    public void refresh() {
        registry.probe();
    }

    public DfsConfig config() {
        return config;
    }

    private FileRecord require(String name) throws NoSuchFileException {
        return metadata.get(name).orElseThrow(() -> new NoSuchFileException(name, null,
                "no such file in dfs; 'list' shows the stored files"));
    }

    /** Best effort: a chunk left on an unreachable server is an orphan for garbage collection. */
    private void removeChunks(FileRecord record) {
        for (ChunkRecord chunk : record.chunks()) {
            for (NodeId node : chunk.servers()) {
                Optional<InetSocketAddress> address = registry.addressOf(node);
                if (address.isEmpty()) {
                    continue;
                }
                try {
                    client.delete(address.get(), chunk.id());
                } catch (ChunkServerException e) {
                    log.warn("chunk {} of {} stays on node {} for now: {}", chunk.id(), record.name(), node, e.getMessage());
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        registry.close();
        scheduler.shutdownNow();
        try {
            discovery.close();
        } catch (Exception e) {
            log.debug("closing discovery: {}", e.toString());
        }
        cpu.shutdownNow();
        io.shutdownNow();
        metadata.close();
    }
}
