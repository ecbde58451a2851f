package dfs.chunkserver;

import dfs.chunkserver.announce.Announcer;
import dfs.chunkserver.http.ChunkHttpServer;
import dfs.chunkserver.store.ChunkStore;
import dfs.chunkserver.store.Scrubber;
import dfs.chunkserver.store.StorageLock;
import dfs.common.crypto.WarmUp;
import dfs.common.wire.NodeId;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running chunk server: its store with its background {@link Scrubber}, its HTTPS endpoint and
 * (optionally) its mDNS announcement. {@link #start} brings them up in that order, announcing only
 * once the port is really bound; {@link #close} takes them down in reverse (stop being found, stop
 * serving, stop scrubbing). Thread-safe; {@code close()} is idempotent.
 */
public final class ChunkServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChunkServer.class);

    private final StorageLock lock;
    private final ChunkStore store;
    private final Scrubber scrubber;
    private final ChunkHttpServer http;
    private final Optional<Announcer> announcer;
    private boolean closed;

    private ChunkServer(StorageLock lock, ChunkStore store, Scrubber scrubber, ChunkHttpServer http,
            Optional<Announcer> announcer) {
        this.lock = lock;
        this.store = store;
        this.scrubber = scrubber;
        this.http = http;
        this.announcer = announcer;
    }

    /**
     * Locks the storage folder, opens the store, starts HTTPS and announces; on any failure, stops
     * what had started.
     *
     * @throws dfs.chunkserver.store.StorageInUseException if another chunk server uses the folder
     */
    public static ChunkServer start(ChunkServerSettings settings) throws IOException {
        StorageLock lock = StorageLock.acquire(settings.storageDir());
        try {
            return start(settings, lock);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    private static ChunkServer start(ChunkServerSettings settings, StorageLock lock) throws IOException {
        WarmUp.inBackground();
        ChunkStore store = ChunkStore.openAt(settings.storageDir(), settings.reserveBytes());
        Scrubber scrubber = Scrubber.start(store, settings.scrub());
        ChunkHttpServer http;
        try {
            http = ChunkHttpServer.start(store, settings.bindAddress(), settings.port(),
                    settings.sslContext(), settings.idleTimeout());
        } catch (IOException | RuntimeException e) {
            scrubber.close();
            throw e;
        }
        try {
            Optional<Announcer> announcer = Optional.empty();
            if (settings.announceAddress().isPresent()) {
                announcer = Optional.of(Announcer.start(settings.announceAddress().get(), store.nodeId(),
                        http.port(), settings.clusterFingerprint()));
            }
            LOG.info("chunk server {} serving {} on https://{}:{}", store.nodeId(), store.root(),
                    settings.bindAddress().getHostAddress(), http.port());
            return new ChunkServer(lock, store, scrubber, http, announcer);
        } catch (IOException | RuntimeException e) {
            try {
                http.close();
            } finally {
                scrubber.close();
            }
            throw e;
        }
    }

    /** The HTTPS port actually bound. */
    public int port() {
        return http.port();
    }

    public NodeId nodeId() {
        return store.nodeId();
    }

    /** The chunk store (for tests). */
    public ChunkStore store() {
        return store;
    }

    /** Withdraws the announcement, stops serving, stops scrubbing, then frees the folder. Idempotent. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (announcer.isPresent()) {
                announcer.get().close();
            }
        } finally {
            try {
                http.close();
            } finally {
                try {
                    scrubber.close();
                } finally {
                    lock.close();
                }
            }
            LOG.info("chunk server {} stopped", store.nodeId());
        }
    }
}
