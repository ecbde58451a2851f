package dfs.master.cli;

import dfs.common.config.DfsConfig;
import dfs.common.crypto.PassphraseSource;
import dfs.common.tls.ClusterTls;
import dfs.master.Master;
import dfs.master.cluster.ServerStatus;
import dfs.master.discovery.Discoveries;
import dfs.master.discovery.Discovery;
import dfs.master.discovery.StaticDiscovery;
import dfs.master.keys.KeyFiles;
import dfs.master.metadata.MetadataOpening;
import dfs.master.metadata.MetadataStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A master started for one command: load the configuration and the master key, find chunk
 * servers (waiting for {@code num_chunk_servers} at most {@code discovery_timeout}), run, stop.
 */
final class OneShotSession implements Session {
    private static final Logger log = LoggerFactory.getLogger(OneShotSession.class);
    /** How long an exit waits for a cancelled transfer to undo itself: chunks in flight take well under a second. */
    private static final Duration UNDO_WAIT = Duration.ofSeconds(10);

    private final AtomicBoolean stopping = new AtomicBoolean();
    /** Whether a transfer has begun: it asks {@link #cancelRequested} before its first chunk. */
    private volatile boolean transferring;

    @Override
    public <T> T with(ConfigOption option, boolean needsServers, Check check, MasterAction<T> action)
            throws IOException {
        DfsConfig config = option.load();
        try (Master master = needsServers ? open(config, option.passphrases())
                : openOffline(config, option.passphrases())) {
            check.run(master);
            if (needsServers) {
                List<ServerStatus> live = master.awaitServers(config.numChunkServers(), config.discoveryTimeout());
                if (live.size() < config.numChunkServers()) {
                    log.warn("found {} of the {} chunk servers expected (num_chunk_servers) within {}",
                            live.size(), config.numChunkServers(), config.discoveryTimeout());
                }
            }
            return runUndoneOnExit(action, master);
        } finally {
            out.flush();
        }
    }

    /**
     * Runs {@code action} so that Ctrl-C or SIGTERM cancels its transfer as the console's Ctrl-C
     * does: the JVM's exit waits (up to {@link #UNDO_WAIT}) while an upload deletes the chunks it
     * stored, or a download its partial file, instead of leaving them behind.
     */
    private <T> T runUndoneOnExit(MasterAction<T> action, Master master) throws IOException {
        CountDownLatch ended = new CountDownLatch(1);
        Thread undo = new Thread(() -> {
            stopping.set(true);
            if (!transferring) {
                return; // nothing to undo: commands that move no data end at once, as before
            }
            try {
                ended.await(UNDO_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "dfs-cancel-on-exit");
        Runtime.getRuntime().addShutdownHook(undo);
        try {
            return action.run(master);
        } finally {
            ended.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(undo);
            } catch (IllegalStateException exiting) {
                // the exit has begun and the hook ran: nothing to remove
            }
        }
    }

    @Override
    public boolean cancelRequested() {
        transferring = true;
        return stopping.get();
    }

    /**
     * Reads only the metadata (no TLS identity, no master key, no discovery), parsing it on every
     * core: nothing else runs meanwhile. Works beside a running master, which holds the store.
     */
    @Override
    public <T> T withFiles(ConfigOption option, FilesAction<T> action) throws IOException {
        DfsConfig config = option.load();
        try {
            int cores = Runtime.getRuntime().availableProcessors();
            return action.run(MetadataStore.summaries(config.metadataFile(), cores));
        } finally {
            out.flush();
        }
    }

    /** Starts a master from a configuration: credential, master key, metadata, discovery. */
    static Master open(DfsConfig config) throws IOException {
        return open(config, Passphrases.existing(Passphrases.DEFAULT_ENV));
    }

    /** As {@link #open(DfsConfig)}, asking {@code passphrases} if the master key file is protected. */
    static Master open(DfsConfig config, PassphraseSource passphrases) throws IOException {
        return start(config, passphrases, false);
    }

    /** Reads the metadata while it sets up TLS, discovery and the keys: on two cores, half a second sooner. */
    private static Master start(DfsConfig config, PassphraseSource passphrases, boolean offline) throws IOException {
        try (MetadataOpening metadata = MetadataOpening.start(config.metadataFile())) {
            ClusterTls tls = ClusterTls.create(config.requireClusterSecret(), "dfs-master", Set.of());
            Discovery discovery = offline ? new StaticDiscovery(List.of()) : Discoveries.fromConfig(config, tls);
            return Master.start(config, new KeyFiles(config.masterKeyFile(), passphrases), discovery, tls, metadata);
        }
    }

    /** Buffered, flushed when the command ends: 'list' of 100,000 files is one write, not 100,000. */
    private final PrintWriter out = new PrintWriter(new java.io.BufferedWriter(
            new java.io.OutputStreamWriter(System.out, java.nio.charset.Charset.defaultCharset()), 1 << 16), false);
    private final PrintWriter err = new PrintWriter(System.err, true);

    /** A master that looks for no chunk servers: for commands that read only the metadata. */
    private static Master openOffline(DfsConfig config, PassphraseSource passphrases) throws IOException {
        return start(config, passphrases, true);
    }

    @Override
    public boolean terminal() {
        return System.console() != null;
    }

    @Override
    public PrintWriter out() {
        return out;
    }

    @Override
    public PrintWriter err() {
        return err;
    }
}
