package dfs.chunkserver;

import dfs.chunkserver.announce.Announcer;
import dfs.chunkserver.http.ChunkHttpServer;
import dfs.chunkserver.store.ChunkStore;
import dfs.common.wire.NodeId;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running chunk server: its store, its HTTPS endpoint and (optionally) its mDNS announcement.
 * {@link #start} brings them up in that order, announcing only once the port is really bound;
 * {@link #close} takes them down in reverse (stop being found, then stop serving). Thread-safe;
 * {@code close()} is idempotent.
 */
public final class ChunkServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChunkServer.class);

    private final ChunkStore store;
    private final ChunkHttpServer http;
    private final Optional<Announcer> announcer;
    private boolean closed;

    private ChunkServer(ChunkStore store, ChunkHttpServer http, Optional<Announcer> announcer) {
        this.store = store;
        this.http = http;
        this.announcer = announcer;
    }

    /** Opens the store, starts HTTPS and announces; on any failure, stops what had started. */
    public static ChunkServer start(ChunkServerSettings settings) throws IOException {
        ChunkStore store = ChunkStore.openAt(settings.storageDir());
        ChunkHttpServer http = ChunkHttpServer.start(store, settings.bindAddress(), settings.port(),
                settings.sslContext(), settings.idleTimeout());
        try {
            Optional<Announcer> announcer = Optional.empty();
            if (settings.announceAddress().isPresent()) {
                announcer = Optional.of(Announcer.start(settings.announceAddress().get(), store.nodeId(),
                        http.port(), settings.clusterFingerprint()));
            }
            LOG.info("chunk server {} serving {} on https://{}:{}", store.nodeId(), store.root(),
                    settings.bindAddress().getHostAddress(), http.port());
            return new ChunkServer(store, http, announcer);
        } catch (IOException | RuntimeException e) {
            http.close();
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

    /** The chunk store (for the scrubber and for tests). */
    public ChunkStore store() {
        return store;
    }

    /** Withdraws the announcement, then stops serving. Idempotent. */
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
            http.close();
            LOG.info("chunk server {} stopped", store.nodeId());
        }
    }
}
