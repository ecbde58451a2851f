package dfs.master.cli;

import dfs.chunkserver.ChunkServer;
import dfs.chunkserver.ChunkServerSettings;
import dfs.common.config.DfsConfig;
import dfs.master.discovery.LanAddress;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
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
                + " by mDNS. Runs in the foreground; Ctrl-C or SIGTERM stops it cleanly."})
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

    @Override
    public Integer call() throws Exception {
        Logging.daemon();
        DfsConfig cfg = config.load();
        String bindAddress = bind != null ? bind : cfg.bindAddress();
        int listenPort = port != null ? port : cfg.port();
        if (listenPort < 0 || listenPort > 65535) {
            throw new IllegalArgumentException("--port " + listenPort + " is not in 0..65535");
        }
        InetAddress announceOn = LanAddress.resolve(bindAddress);
        ChunkServerSettings settings = ChunkServerSettings.forCluster(dir != null ? dir : cfg.storageDir(),
                InetAddress.getByName(bindAddress), listenPort, cfg.requireClusterSecret(), Optional.of(announceOn));
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
        log.info("chunk server {} announced by mDNS on {}; Ctrl-C stops it", server.nodeId(), announceOn.getHostAddress());
        stopped.await();
        return ExitCodes.OK;
    }
}
