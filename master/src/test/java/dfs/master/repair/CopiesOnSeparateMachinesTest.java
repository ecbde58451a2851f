package dfs.master.repair;

import static dfs.master.repair.HealingFixture.CHUNK;
import static org.assertj.core.api.Assertions.assertThat;

import dfs.master.metadata.ChunkRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The copies of a chunk are kept on different machines, so that losing one machine loses no file,
 * whichever of its servers the cluster has. The servers listen on different loopback addresses,
 * which the master takes for different machines, as it does with LAN addresses.
 */
class CopiesOnSeparateMachinesTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

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
    void everyChunkHasOneCopyOnTheMachineThatRunsOneServerAndOneOnTheMachineThatRunsThree() throws IOException {
        f = HealingFixture.startOn(dir, HealingFixture.manual(), List.of("127.0.0.2", "127.0.0.3", "127.0.0.3", "127.0.0.3"));
        for (int i = 0; i < 4; i++) {
            f.upload("file-" + i, 8 * CHUNK + 1 + i); // 9 chunks each: with no regard for machines, half would skip server 0
        }

        List<ChunkRecord> chunks = f.chunks();
        assertThat(chunks).hasSize(36).allSatisfy(c -> assertThat(f.machines(c)).as(f.describe())
                .containsExactlyInAnyOrder("127.0.0.2", "127.0.0.3"));
        assertThat(f.everyChunkOnTwoRecordedServers()).as(f.describe()).isTrue();
        assertThat(f.master.status().copiesShareMachines()).isFalse();
    }

    @Test
    void theCopiesMadeForADeadMachinesChunksGoToAMachineThatHoldsNoCopyYet() throws IOException {
        // machines A (server 0), B (server 1) and C (servers 2 and 3)
        f = HealingFixture.startOn(dir, HealingFixture.automatic(Duration.ofSeconds(1)),
                List.of("127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.4"));
        for (int i = 0; i < 4; i++) {
            f.upload("file-" + i, 8 * CHUNK + 1 + i);
        }
        assertThat(f.chunks()).allSatisfy(c -> assertThat(f.machines(c)).doesNotHaveDuplicates());
        long onA = f.chunks().stream().filter(c -> c.servers().contains(f.nodes.get(0))).count();
        long onAAndC = f.chunks().stream().filter(c -> c.servers().contains(f.nodes.get(0))
                && f.machines(c).contains("127.0.0.4")).count();
        assertThat(onAAndC).as("chunks on A and C, whose new copy must go to B, not C's other server").isPositive();

        f.cluster.kill(0);
        f.await("no chunk is recorded on the dead server 0", PATIENCE,
                () -> f.chunks().stream().noneMatch(c -> c.servers().contains(f.nodes.get(0))));

        assertThat(f.chunks()).allSatisfy(c -> assertThat(f.machines(c)).as(f.describe())
                .containsExactlyInAnyOrder("127.0.0.3", "127.0.0.4"));
        assertThat(f.chunks()).allSatisfy(c -> assertThat(f.recordedAndStoredOn(c,
                indexes(c))).as(f.describe()).isTrue());
        assertThat(f.master.status().healing().chunksCopied()).isEqualTo(onA);
        for (int i = 0; i < 4; i++) {
            assertThat(f.comesBackIntact("file-" + i)).isTrue();
        }
    }

    @Test
    void fsckFindsTheChunksStoredWhileOneMachineWasLiveAndRepairMovesACopyToTheMachineThatCameBack() throws IOException {
        f = HealingFixture.startOn(dir, HealingFixture.manual(), List.of("127.0.0.2", "127.0.0.2", "127.0.0.3"));
        f.cluster.kill(2);
        f.await("server 2 is dead", PATIENCE, () -> f.isDead(2));
        f.upload("early", 4 * CHUNK + 1);
        assertThat(f.chunks()).allSatisfy(c -> assertThat(f.machines(c)).containsExactly("127.0.0.2", "127.0.0.2"));
        assertThat(f.master.fsck(false).crowded()).as("one live machine: nowhere to move a copy").isEmpty();

        f.cluster.restart(2);
        f.await("server 2 is live", PATIENCE, () -> f.master.status().liveCount() == 3);
        FsckReport report = f.master.fsck(false);
        assertThat(report.healthy()).isTrue();
        assertThat(report.crowded()).hasSize(5);
        assertThat(report.lines()).contains("5 chunks have copies sharing a machine while a live machine holds none of"
                + " them; the healer moves a copy there");

        assertThat(f.master.repair(report)).hasSize(5).allSatisfy(o -> assertThat(o.result()).as(o.describe())
                .isEqualTo(RepairOutcome.Result.REPAIRED));
        assertEveryChunkOnTwoMachinesAndNowhereElse();
        assertThat(f.master.fsck(false).crowded()).isEmpty();
        assertThat(f.comesBackIntact("early")).isTrue();
    }

    @Test
    void theHealerMovesACopyOfEachCrowdedChunkOnItsOwn() throws IOException {
        f = HealingFixture.startOn(dir, HealingFixture.automatic(Duration.ofSeconds(1)),
                List.of("127.0.0.2", "127.0.0.2", "127.0.0.3"));
        f.cluster.kill(2);
        f.await("server 2 is dead", PATIENCE, () -> f.isDead(2));
        f.upload("early", 4 * CHUNK + 1);
        f.cluster.restart(2);

        f.await("every chunk has a copy on 127.0.0.3", PATIENCE,
                () -> f.chunks().stream().allMatch(c -> f.machines(c).contains("127.0.0.3")));
        f.await("the moved copies are deleted", PATIENCE, () -> f.chunks().stream()
                .allMatch(c -> Set.copyOf(f.cluster.holders(c.id())).equals(indexes(c))));
        assertEveryChunkOnTwoMachinesAndNowhereElse();
        assertThat(f.master.status().healing().chunksCopied()).isEqualTo(5);
        assertThat(f.master.status().healing().extraCopiesTrimmed()).isEqualTo(5);
        assertThat(f.comesBackIntact("early")).isTrue();
    }

    private void assertEveryChunkOnTwoMachinesAndNowhereElse() {
        assertThat(f.chunks()).allSatisfy(c -> {
            assertThat(f.machines(c)).as(f.describe()).containsExactlyInAnyOrder("127.0.0.2", "127.0.0.3");
            assertThat(f.cluster.holders(c.id())).as(f.describe()).containsExactlyInAnyOrderElementsOf(indexes(c));
        });
    }

    private Set<Integer> indexes(ChunkRecord c) {
        return c.servers().stream().map(f::indexOf).collect(Collectors.toSet());
    }

    @Test
    void withAllServersOnOneMachineTheCopiesStillGoToDistinctServersAndStatusSaysTheyShareIt() throws IOException {
        f = HealingFixture.start(dir, HealingFixture.manual());
        f.upload("file", 8 * CHUNK);

        assertThat(f.everyChunkOnTwoRecordedServers()).as(f.describe()).isTrue();
        assertThat(f.master.status().liveMachines()).isEqualTo(1);
        assertThat(f.master.status().copiesShareMachines()).isTrue();
    }
}
