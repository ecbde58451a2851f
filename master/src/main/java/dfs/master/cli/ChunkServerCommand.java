package dfs.master.cli;

import dfs.chunkserver.ChunkServer;
import dfs.chunkserver.ChunkServerSettings;
import dfs.common.config.DfsConfig;
import dfs.common.config.DiscoveryMode;
import dfs.master.discovery.LanAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code dfs chunkserver}: the chunk server daemon, in the foreground until Ctrl-C or SIGTERM. */
@Command(name = "chunkserver", mixinStandardHelpOptions = true,
        description = {"Run a chunk server on this machine.",
            "Stores encrypted chunks in a folder and serves them over mutual TLS, announced on the LAN"
                + " by mDNS (unless discovery is static). Runs in the foreground; Ctrl-C or SIGTERM stops it"
                + " cleanly."})
final class ChunkServerCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(ChunkServerCommand.class);

    @Mixin
    ConfigOption config;

    @Option(names = "--dir", paramLabel = "DIR", description = "storage folder (default: storage_dir)")
    Path dir;

    @Option(names = "--port", paramLabel = "PORT", description = "TCP port, 0 for any free one (default: port)")
    Integer port;

    @Option(names = "--bind", paramLabel = "ADDR", description = "IP address to listen on (default: bind_address)")
    String bind;

    /** Set by {@code dfs bench} on the servers it starts, so that none outlives a bench killed outright. */
    @Option(names = "--exit-with", paramLabel = "PID", hidden = true,
            description = "stop cleanly once the process PID has ended")
    Long exitWith;

    @Override
    public Integer call() throws Exception {
        Logging.daemon();
        DfsConfig cfg = config.load();
        String bindAddress = bind != null ? bind : cfg.bindAddress();
        int listenPort = port != null ? port : cfg.port();
        if (listenPort < 0 || listenPort > 65535) {
            throw new IllegalArgumentException("--port " + listenPort + " is not in 0..65535");
        }
        Optional<InetAddress> announceOn = announceAddress(cfg, bindAddress);
        ChunkServerSettings settings = ChunkServerSettings.forCluster(dir != null ? dir : cfg.storageDir(),
                InetAddress.getByName(bindAddress), listenPort, cfg.requireClusterSecret(), announceOn)
                .withReserve(cfg.reserveSpace().bytes());
        CountDownLatch stopped = new CountDownLatch(1);
        ChunkServer server = ChunkServer.start(settings);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception e) {
                log.warn("stopping the chunk server: {}", e.toString());
            }
            stopped.countDown();
        }, "dfs-shutdown"));
        if (announceOn.isPresent()) {
            log.info("chunk server {} announced by mDNS on {}; Ctrl-C stops it", server.nodeId(),
                    announceOn.get().getHostAddress());
        } else {
            log.info("chunk server {} not announced (discovery = static: the master reads chunk_servers); Ctrl-C stops it",
                    server.nodeId());
        }
        if (exitWith != null) {
            ProcessHandle.of(exitWith).map(ProcessHandle::onExit)
                    .orElse(CompletableFuture.completedFuture(null))
                    .thenRun(() -> {
                        log.info("process {} has ended; stopping", exitWith);
                        System.exit(ExitCodes.OK); // runs the shutdown hook above
                    });
        }
        stopped.await();
        return ExitCodes.OK;
    }

    /**
     * Where to announce this server by mDNS: nowhere when the cluster's masters find servers in
     * {@code chunk_servers} ({@code discovery = static}), since nobody listens and the multicast
     * would only tell the LAN that dfs runs.
     */
    static Optional<InetAddress> announceAddress(DfsConfig cfg, String bindAddress) throws IOException {
        if (cfg.discovery() == DiscoveryMode.STATIC) {
            return Optional.empty();
        }
        return Optional.<InetAddress>of(LanAddress.resolve(bindAddress));
    }
}
