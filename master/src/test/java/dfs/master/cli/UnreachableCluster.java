package dfs.master.cli;

import dfs.common.config.ClusterSecret;
import dfs.common.crypto.MasterKeyFile;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A master's configuration whose one expected chunk server never answers (its port is closed), so
 * whatever waits for chunk servers waits the whole {@code discovery_timeout}; with a master key.
 */
final class UnreachableCluster {
    private UnreachableCluster() {}

    /** Writes {@code dfs_setup.config} and {@code master.key} into {@code dir}; returns the configuration. */
    static Path configIn(Path dir, String discoveryTimeout) throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort(); // free once closed: no chunk server answers there
        }
        Path config = Files.writeString(dir.resolve("dfs_setup.config"), String.join("\n",
                "cluster_secret = " + ClusterSecret.generate().encoded(),
                "discovery = static",
                "chunk_servers = 127.0.0.1:" + closedPort,
                "num_chunk_servers = 1",
                "replication_factor = 1",
                "discovery_timeout = " + discoveryTimeout,
                ""));
        MasterKeyFile.create(dir.resolve("master.key"));
        return config;
    }
}
