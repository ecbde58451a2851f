package dfs.master.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dfs.common.config.DfsConfig;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a chunk server announces itself, by the cluster's discovery mode. */
class ChunkServerCommandTest {
    @TempDir
    Path dir;

    @Test
    void withMdnsDiscoveryAServerAnnouncesOnItsBindAddress() throws Exception {
        DfsConfig mdns = DfsConfig.fromValues(dir.resolve("dfs_setup.config"), Map.of("discovery", "mdns"));

        assertThat(ChunkServerCommand.announceAddress(mdns, "127.0.0.1")).contains(InetAddress.getByName("127.0.0.1"));
    }

    @Test
    void withStaticDiscoveryAServerDoesNotAnnounceItself() throws Exception {
        DfsConfig fixed = DfsConfig.fromValues(dir.resolve("dfs_setup.config"),
                Map.of("discovery", "static", "chunk_servers", "127.0.0.1:7443", "num_chunk_servers", "1",
                        "replication_factor", "1"));

        assertThat(ChunkServerCommand.announceAddress(fixed, "127.0.0.1")).isEmpty();
    }
}
