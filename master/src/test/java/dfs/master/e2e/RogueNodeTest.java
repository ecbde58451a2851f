package dfs.master.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dfs.chunkserver.ChunkServer;
import dfs.chunkserver.ChunkServerSettings;
import dfs.common.config.ClusterSecret;
import dfs.common.config.DfsConfig;
import dfs.common.tls.ClusterTls;
import dfs.master.Master;
import dfs.master.cluster.ServerStatus;
import dfs.master.discovery.Discoveries;
import dfs.master.metadata.FileRecord;
import dfs.common.crypto.MasterKey;
import dfs.master.testing.TestCluster;
import dfs.master.transfer.Progress;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rogue node on the LAN: it announces {@code _dfs-chunk._tcp} over real mDNS with this
 * cluster's fingerprint in its TXT record (copied from any real announcement), but it lacks the
 * cluster secret, so its TLS certificate comes from another CA. The master lists it as rejected
 * and never sends it a chunk.
 */
class RogueNodeTest {
    @TempDir
    Path dir;
    TestCluster cluster;
    ChunkServer rogue;
    Master master;

    @BeforeEach
    void start() throws IOException {
        cluster = TestCluster.start(dir.resolve("servers"), 3, true);
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        String ourFingerprint = ClusterTls.create(cluster.secret(), "probe", Set.of()).fingerprint();
        ClusterTls foreign = ClusterTls.create(ClusterSecret.generate(), "rogue", Set.of(lo));
        rogue = ChunkServer.start(new ChunkServerSettings(dir.resolve("rogue"), lo, 0, foreign.sslContext(),
                ourFingerprint, Optional.of(lo)));
        DfsConfig config = cluster.masterConfig(dir, Map.of(DfsConfig.DISCOVERY, "mdns", DfsConfig.CHUNK_SERVERS, ""));
        ClusterTls tls = ClusterTls.create(cluster.secret(), "dfs-master", Set.of());
        master = Master.start(config, MasterKey.generate(), Discoveries.fromConfig(config, tls), tls);
    }

    @AfterEach
    void stop() throws IOException {
        if (master != null) {
            master.close();
        }
        rogue.close();
        cluster.close();
    }

    @Test
    void aNodeAnnouncingOurFingerprintWithAForeignCertificateIsRejectedAndNeverSentAChunk() throws Exception {
        assertThat(master.awaitServers(3, Duration.ofSeconds(30))).hasSize(3);
        ServerStatus seen = awaitRogueStatus();

        Random random = new Random(42);
        for (int i = 0; i < 6; i++) {
            byte[] data = new byte[300_000];
            random.nextBytes(data);
            FileRecord r = master.upload(Files.write(dir.resolve("f" + i), data), "f" + i, Progress.NONE);
            assertThat(r.chunks()).allSatisfy(c -> assertThat(c.servers()).doesNotContain(rogue.nodeId()));
        }

        assertThat(seen.liveness()).isEqualTo(ServerStatus.Liveness.REJECTED);
        assertThat(seen.note()).isNotBlank();
        assertThat(master.status().servers()).filteredOn(s -> s.address().getPort() == rogue.port())
                .allSatisfy(s -> assertThat(s.liveness()).isEqualTo(ServerStatus.Liveness.REJECTED));
        assertThat(rogue.store().count()).isZero();
        try (Stream<Path> files = Files.walk(dir.resolve("rogue"))) {
            assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).toList())
                    .containsExactlyInAnyOrder("node_id", "in_use.lock");
        }
    }

    private ServerStatus awaitRogueStatus() throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            master.refresh();
            List<ServerStatus> found = master.status().servers().stream()
                    .filter(s -> s.address().getPort() == rogue.port()).toList();
            if (!found.isEmpty() && found.get(0).liveness() == ServerStatus.Liveness.REJECTED) {
                return found.get(0);
            }
            Thread.sleep(50); // polling the registry, not a timing assumption
        }
        throw new AssertionError("the rogue on port " + rogue.port() + " was never listed as rejected: "
                + master.status().servers());
    }
}
