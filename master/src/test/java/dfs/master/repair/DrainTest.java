package dfs.master.repair;

import static dfs.master.repair.HealingFixture.CHUNK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dfs.common.config.DfsConfig;
import dfs.common.tls.ClusterTls;
import dfs.common.wire.NodeId;
import dfs.master.Master;
import dfs.master.cluster.ServerStatus;
import dfs.master.discovery.Discoveries;
import dfs.master.metadata.FileRecord;
import dfs.master.transfer.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Draining a chunk server moves every copy it holds to the other servers, so that its machine can
 * be retired without a chunk ever being short of copies.
 */
class DrainTest {
    @TempDir
    Path dir;
    HealingFixture f;

    @AfterEach
    void stop() throws IOException {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void drainingMovesEveryCopyOffTheServerToAnotherMachineAndTheFilesNeedItNoMore() throws IOException {
        f = HealingFixture.startOn(dir, HealingFixture.manual(), List.of("127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"));
        for (int i = 0; i < 3; i++) {
            f.upload("file-" + i, 8 * CHUNK + 1 + i);
        }
        NodeId drained = f.nodes.get(1);
        long held = f.chunks().stream().filter(c -> c.servers().contains(drained)).count();
        assertThat(held).as("chunks on the server before the drain").isPositive();

        DrainReport report = f.master.drain(drained.hex());

        assertThat(report.done()).as(String.join("\n", report.lines())).isTrue();
        assertThat(report.moved()).isEqualTo(held);
        assertThat(report.lines()).last().asString().contains("drained: " + held + " copies moved");
        assertThat(f.chunks()).noneMatch(c -> c.servers().contains(drained));
        // two copies of every chunk, on the servers recorded and on no other: the drained copies are deleted
        assertThat(f.everyChunkOnTwoRecordedServers()).as(f.describe()).isTrue();
        assertThat(f.cluster.chunkFiles(1)).isEmpty();
        assertThat(f.chunks()).allSatisfy(c -> assertThat(Set.copyOf(f.machines(c))).as("machines of chunk " + c.id()).hasSize(2));

        f.cluster.kill(1);
        for (int i = 0; i < 3; i++) {
            assertThat(f.comesBackIntact("file-" + i)).isTrue();
        }
    }

    @Test
    void aDrainedServerIsNamedByItsAddressAndNoMasterPlacesCopiesOnItAcrossRestartsUntilTakenBack() throws IOException {
        f = HealingFixture.start(dir, HealingFixture.manual());
        String address = "127.0.0.1:" + f.cluster.port(0);
        NodeId drained = f.nodes.get(0);

        DrainReport empty = f.master.drain(address);
        FileRecord later = f.upload("later", 10 * CHUNK);

        assertThat(empty.done()).isTrue();
        assertThat(empty.moved()).isZero();
        assertThat(f.master.status().draining()).containsExactly(drained);
        assertThat(later.chunks()).allSatisfy(c -> assertThat(c.servers()).doesNotContain(drained));
        // another master, started afresh, learns it from the server's health report
        try (Master other = startAnotherMaster()) {
            assertThat(other.status().draining()).containsExactly(drained);
            FileRecord r = other.upload(f.randomFile("other", 10 * CHUNK), "other", Progress.NONE);
            assertThat(r.chunks()).allSatisfy(c -> assertThat(c.servers()).doesNotContain(drained));
        }
        assertThat(f.cluster.chunkFiles(0)).isEmpty();

        f.cluster.kill(0);
        f.cluster.restart(0);
        try (Master other = startAnotherMaster()) {
            assertThat(other.status().draining()).as("the mark outlives a restart").containsExactly(drained);
            FileRecord r = other.upload(f.randomFile("restarted", 10 * CHUNK), "restarted", Progress.NONE);
            assertThat(r.chunks()).allSatisfy(c -> assertThat(c.servers()).doesNotContain(drained));

            ServerStatus back = other.undrain(drained.hex().substring(0, 8));

            assertThat(back.node()).contains(drained);
            assertThat(other.status().draining()).isEmpty();
            FileRecord afterwards = other.upload(f.randomFile("afterwards", 10 * CHUNK), "afterwards", Progress.NONE);
            assertThat(afterwards.chunks()).anySatisfy(c -> assertThat(c.servers()).contains(drained));
        }
        // the fixture's master sees it too, once its health check of the restarted server gets through
        // (the first may fail on a connection kept to the server before its restart)
        f.await("the first master sees the server taken back", Duration.ofSeconds(30), () -> {
            f.master.refresh();
            return f.master.status().draining().isEmpty();
        });
    }

    /** The fixture's master, started again as another process with a metadata of its own. */
    private Master startAnotherMaster() throws IOException {
        DfsConfig config = f.cluster.masterConfig(Files.createDirectories(dir.resolve("other-" + System.nanoTime())),
                Map.of());
        ClusterTls tls = ClusterTls.create(f.cluster.secret(), "dfs-master", Set.of());
        Master m = Master.start(config, f.masterKey, Discoveries.fromConfig(config, tls), tls,
                HealingFixture.manual());
        m.awaitServers(f.cluster.size(), config.discoveryTimeout());
        return m;
    }

    @Test
    void withNowhereToMoveTheCopiesTheDrainKeepsThemAndSaysWhy() throws IOException {
        f = HealingFixture.startOn(dir, HealingFixture.manual(), List.of("127.0.0.2", "127.0.0.3"));
        FileRecord r = f.upload("both", 4 * CHUNK); // each chunk on both servers: no third one to take a copy

        DrainReport report = f.master.drain(f.nodes.get(0).hex().substring(0, 6));

        assertThat(report.done()).isFalse();
        assertThat(report.left()).isEqualTo(4);
        assertThat(report.moved()).isZero();
        assertThat(report.lines()).hasSize(5).last().asString()
                .contains("not drained: 0 copies moved, 4 chunks still have a copy there; start another chunk server");
        assertThat(report.lines().get(0)).contains("no other live server without a copy has room for it");
        assertThat(f.record("both")).isEqualTo(r);
        assertThat(f.cluster.chunkFiles(0)).hasSize(4);
        assertThat(f.comesBackIntact("both")).isTrue();
    }

    @Test
    void anUnknownOrStoppedServerIsRefusedBeforeAnythingIsDrained() throws IOException {
        f = HealingFixture.start(dir, HealingFixture.manual());
        f.upload("kept", 6 * CHUNK);

        assertThatThrownBy(() -> f.master.drain("127.0.0.1:1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no chunk server '127.0.0.1:1' is known; give its node id or host:port as 'status' shows them");
        assertThatThrownBy(() -> f.master.drain("abc"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no chunk server 'abc' is known");

        f.cluster.kill(2);
        f.await("server 2 is dead", Duration.ofSeconds(30), () -> f.isDead(2));
        assertThatThrownBy(() -> f.master.drain(f.nodes.get(2).hex()))
                .isInstanceOf(IOException.class)
                .hasMessage("chunk server " + f.nodes.get(2).hex() + " is dead, so its copies cannot be read from it;"
                        + " start it again to drain it, or leave it stopped: once down for dead_after, the healer"
                        + " copies its chunks from their other copies");
        assertThatThrownBy(() -> f.master.undrain(f.nodes.get(2).hex()))
                .isInstanceOf(IOException.class)
                .hasMessage("chunk server " + f.nodes.get(2).hex() + " is dead; a drained mark stays in its storage"
                        + " folder: start it, then take it back");
        assertThatThrownBy(() -> f.master.undrain("abc"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no chunk server 'abc' is known");
        assertThat(f.master.status().draining()).isEmpty();
    }
}
