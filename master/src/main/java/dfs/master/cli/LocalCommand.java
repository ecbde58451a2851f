package dfs.master.cli;

import dfs.chunkserver.ChunkServer;
import dfs.chunkserver.ChunkServerSettings;
import dfs.common.config.ClusterSecret;
import dfs.common.config.ConfigException;
import dfs.common.config.DfsConfig;
import dfs.common.crypto.MasterKeyFile;
import dfs.common.io.AtomicFiles;
import dfs.master.Master;
import dfs.master.cluster.KnownServers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dfs local}: a whole cluster on this machine, with nothing to set up. Real chunk servers
 * (HTTPS, mutual TLS, mDNS on 127.0.0.1) keep their chunks under the state folder, which also
 * holds this cluster's own configuration, master key and metadata, so files persist between runs.
 */
@Command(name = "local", mixinStandardHelpOptions = true,
        description = {"Run a whole cluster on this machine: chunk servers and the console.",
            "Starts N chunk servers on 127.0.0.1 and the master console. State (chunks, metadata, keys)"
                + " is kept in the state folder between runs."})
final class LocalCommand implements Callable<Integer> {
    @Option(names = "--servers", paramLabel = "N", defaultValue = "3", description = "chunk servers to start (default: 3)")
    int servers;

    @Option(names = "--dir", paramLabel = "DIR", description = "state folder (default: .dfs-local beside the dfs launcher); the"
            + " upload_list and output folders used are the ones beside it")
    Path dir;

    @Override
    public Integer call() throws Exception {
        if (servers < 1 || servers > 16) {
            throw new IllegalArgumentException("--servers " + servers + " is not in 1..16");
        }
        Path home = stateFolder();
        DfsConfig config = prepare(home);
        List<ChunkServer> started = new ArrayList<>();
        try {
            // the servers first, and where they are handed to the master as servers it remembers,
            // which it checks at once: mDNS finds a just-started server only once its announcement
            // is complete, about 4 s after it starts. The master stops first, so its health checks
            // do not report the servers' shutdown.
            started.addAll(startServers(home, config));
            KnownServers.write(KnownServers.fileFor(config.metadataFile()), started.stream()
                    .map(s -> new KnownServers.Entry(s.nodeId(), "127.0.0.1:" + s.port())).toList());
            try (Master master = OneShotSession.open(config)) {
                int live = master.awaitServers(servers, config.discoveryTimeout().multipliedBy(2)).size();
                System.err.println("local cluster: " + live + " of " + servers + " chunk servers live on 127.0.0.1,"
                        + " state in " + home + "; files to upload by bare name go in " + config.uploadDir()
                        + ", downloads land in " + config.outputDir());
                return new Console(master, System.console() != null).run();
            }
        } finally {
            stopAll(started);
        }
    }

    /**
     * Runs each task on a thread of its own: starting and stopping a server mostly waits on mDNS
     * (about 2 s to withdraw an announcement), and the common pool has one thread on two cores.
     */
    private static final Executor OWN_THREAD = task -> {
        Thread t = new Thread(task, "dfs-local-server");
        t.setDaemon(true);
        t.start();
    };

    /** Starts the chunk servers in parallel: announcing by mDNS takes a second or two each. */
    private List<ChunkServer> startServers(Path home, DfsConfig config) throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        List<CompletableFuture<ChunkServer>> starting = new ArrayList<>();
        for (int i = 1; i <= servers; i++) {
            Path storage = home.resolve("server-" + i);
            starting.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return ChunkServer.start(ChunkServerSettings.forCluster(storage, loopback, 0,
                            config.requireClusterSecret(), Optional.of(loopback)).withReserve(config.reserveSpace().bytes()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, OWN_THREAD));
        }
        List<ChunkServer> started = new ArrayList<>();
        IOException failure = null;
        for (CompletableFuture<ChunkServer> f : starting) {
            try {
                started.add(f.join());
            } catch (CompletionException e) {
                failure = failure != null ? failure : new IOException("a local chunk server did not start: "
                        + Errors.describe(e.getCause()), e.getCause());
            }
        }
        if (failure != null) {
            stopAll(started);
            throw failure;
        }
        return started;
    }

    /** Stops the servers in parallel (each withdraws its mDNS announcement first). */
    private static void stopAll(List<ChunkServer> started) {
        CompletableFuture.allOf(started.stream().map(s -> CompletableFuture.runAsync(() -> {
            try {
                s.close();
            } catch (IOException e) {
                System.err.println("dfs: stopping chunk server " + s.nodeId() + ": " + Errors.describe(e));
            }
        }, OWN_THREAD)).toArray(CompletableFuture[]::new)).join();
    }

    private Path stateFolder() {
        if (dir != null) {
            return dir.toAbsolutePath();
        }
        String home = System.getenv("DFS_HOME");
        return (home == null ? Path.of("") : Path.of(home)).toAbsolutePath().resolve(".dfs-local");
    }

    /** Writes this cluster's configuration (keeping its secret across runs) and master key. */
    private DfsConfig prepare(Path home) throws IOException {
        Files.createDirectories(home);
        Path file = home.resolve("dfs_setup.config");
        ClusterSecret secret = ClusterSecret.generate();
        if (Files.exists(file)) {
            try {
                secret = DfsConfig.load(file).clusterSecret().orElse(secret);
            } catch (ConfigException e) {
                throw new ConfigException(e.getMessage() + " (delete " + home + " to start the local cluster afresh)");
            }
        }
        Path project = home.getParent();
        String text = String.join("\n",
                "# Written by './dfs local' for the cluster it runs on this machine; rewritten on each run.",
                "cluster_secret = " + secret.encoded(),
                "bind_address = 127.0.0.1",
                "port = 0",
                "discovery = mdns",
                "num_chunk_servers = " + servers,
                "replication_factor = " + Math.min(2, servers),
                "metadata_file = metadata_uploaded.json",
                "master_key_file = master.key",
                "upload_dir = " + project.resolve("upload_list"),
                "output_dir = " + project.resolve("output"),
                "");
        AtomicFiles.write(file, text.getBytes(StandardCharsets.UTF_8));
        DfsConfig config = DfsConfig.load(file);
        if (!Files.exists(config.masterKeyFile())) {
            MasterKeyFile.create(config.masterKeyFile());
        }
        return config;
    }
}
