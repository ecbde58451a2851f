package dfs.master.repair;

import static dfs.master.repair.HealingFixture.CHUNK;
import static org.assertj.core.api.Assertions.assertThat;

import dfs.common.wire.NodeId;
import dfs.master.metadata.ChunkRecord;
import dfs.master.metadata.FileRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fsck and on-demand repair on three real servers; the background healer stays out of the way. */
class FsckTest {
    @TempDir
    Path dir;
    HealingFixture f;

    @BeforeEach
    void start() throws IOException {
        f = HealingFixture.start(dir, HealingFixture.manual());
    }

    @AfterEach
    void stop() throws IOException {
        f.close();
    }

    @Test
    void everyFileOfAnIntactClusterIsHealthy() throws IOException {
        f.upload("a", 3 * CHUNK + 5);
        f.upload("b", 1);
        f.upload("empty", 0);
        for (boolean deep : List.of(false, true)) {
            FsckReport r = f.master.fsck(deep);
            assertThat(r.healthy()).as(String.join("\n", r.lines())).isTrue();
            assertThat(r.files()).extracting(FileReport::state).containsOnly(FileState.HEALTHY).hasSize(3);
            assertThat(r.damagedChunks()).isEmpty();
            assertThat(r.strays()).isEmpty();
            assertThat(r.liveServers()).isEqualTo(3);
            assertThat(r.lines().get(0)).contains("3 files: 3 healthy");
        }
    }

    @Test
    void deepFsckNamesTheCorruptReplicaThatAListingCannotSee() throws IOException {
        ChunkRecord second = f.upload("rot", 3 * CHUNK).chunks().get(1);
        NodeId victim = second.servers().get(0);
        f.flipAByte(f.indexOf(victim), second);

        assertThat(f.master.fsck(false).healthy()).as("a flipped bit keeps the size: listings miss it").isTrue();
        FsckReport deep = f.master.fsck(true);

        assertThat(deep.healthy()).isFalse();
        assertThat(deep.files()).singleElement().extracting(FileReport::state).isEqualTo(FileState.CORRUPT);
        ChunkReport damaged = deep.damagedChunks().get(0);
        assertThat(deep.damagedChunks()).hasSize(1);
        assertThat(damaged.chunk()).isEqualTo(second);
        assertThat(damaged.replicas()).containsExactlyInAnyOrder(
                new ReplicaReport(victim, ReplicaState.CORRUPT, "its bytes do not match the recorded SHA-256"),
                ReplicaReport.good(second.servers().get(1)));
        assertThat(deep.lines()).anySatisfy(line -> assertThat(line)
                .contains("rot chunk 1", second.id().hex(), victim.hex(), "corrupt", "1/2 good"));
    }

    @Test
    void repairCopiesACorruptChunkToAThirdServerAndDeletesTheBadReplica() throws IOException {
        ChunkRecord first = f.upload("rot", 2 * CHUNK + 3).chunks().get(0);
        int victim = f.indexOf(first.servers().get(0));
        int survivor = f.indexOf(first.servers().get(1));
        int third = 3 - victim - survivor;
        f.flipAByte(victim, first);

        List<RepairOutcome> outcomes = f.master.repair(f.master.fsck(true));

        assertThat(outcomes).singleElement().satisfies(o -> {
            assertThat(o.result()).isEqualTo(RepairOutcome.Result.REPAIRED);
            assertThat(o.added()).containsExactly(f.nodes.get(third));
            assertThat(o.dropped()).containsExactly(f.nodes.get(victim));
        });
        ChunkRecord now = f.record("rot").chunks().get(0);
        assertThat(f.recordedAndStoredOn(now, Set.of(survivor, third))).as(f.describe()).isTrue();
        assertThat(f.cluster.chunkFile(victim, first.id())).as("the corrupt replica is deleted").isEmpty();
        assertThat(f.master.fsck(true).healthy()).isTrue();
        assertThat(f.comesBackIntact("rot")).isTrue();
    }

    @Test
    void aReplicaFileGoneFromDiskShowsAsUnderReplicatedAndRepairRestoresIt() throws IOException {
        FileRecord file = f.upload("thin", 4 * CHUNK);
        ChunkRecord chunk = file.chunks().get(2);
        int victim = f.indexOf(chunk.servers().get(1));
        f.cluster.kill(victim);
        Files.delete(f.cluster.chunkFile(victim, chunk.id()).orElseThrow());
        f.cluster.restart(victim);
        f.master.awaitServers(3, Duration.ofSeconds(10));

        FsckReport before = f.master.fsck(false);

        assertThat(before.files()).singleElement().extracting(FileReport::state).isEqualTo(FileState.UNDER_REPLICATED);
        assertThat(before.underReplicatedChunks()).isEqualTo(1);
        assertThat(before.damagedChunks()).singleElement().satisfies(c -> assertThat(c.replicas())
                .contains(new ReplicaReport(f.nodes.get(victim), ReplicaState.MISSING, "not in the server's chunk listing")));

        assertThat(f.master.repair(before)).singleElement().extracting(RepairOutcome::result)
                .isEqualTo(RepairOutcome.Result.REPAIRED);
        assertThat(f.master.fsck(true).healthy()).isTrue();
        assertThat(f.everyChunkOnTwoRecordedServers()).as(f.describe()).isTrue();
        assertThat(f.comesBackIntact("thin")).isTrue();
    }

    @Test
    void aRepairActingOnAReportOlderThanAnotherRepairChangesNothing() throws IOException {
        FileRecord file = f.upload("twice", 4 * CHUNK);
        ChunkRecord chunk = file.chunks().get(1);
        int victim = f.indexOf(chunk.servers().get(0));
        f.cluster.kill(victim);
        f.master.refresh();
        FsckReport seenByBoth = f.master.fsck(false); // as the healer and an fsck --repair both see it

        assertThat(f.master.repair(seenByBoth)).extracting(RepairOutcome::result)
                .contains(RepairOutcome.Result.REPAIRED);
        // the second repairer comes late, with the same report: it must not undo the first one's copy
        assertThat(f.master.repair(seenByBoth)).extracting(RepairOutcome::result)
                .doesNotContain(RepairOutcome.Result.REPAIRED).contains(RepairOutcome.Result.STALE);

        FsckReport after = f.master.fsck(true);
        assertThat(after.underReplicatedChunks()).as("%s", after.lines()).isZero();
        assertThat(f.comesBackIntact("twice")).isTrue();
    }

    @Test
    void aChunkWithoutAnyGoodReplicaIsLostAndRepairSaysSo() throws IOException {
        ChunkRecord chunk = f.upload("gone", CHUNK + 1).chunks().get(1);
        for (NodeId n : chunk.servers()) {
            f.flipAByte(f.indexOf(n), chunk);
        }
        FsckReport report = f.master.fsck(true);

        assertThat(report.files()).singleElement().extracting(FileReport::state).isEqualTo(FileState.LOST);
        assertThat(f.master.repair(report)).singleElement().extracting(RepairOutcome::result)
                .isEqualTo(RepairOutcome.Result.LOST);
        assertThat(f.record("gone").chunks().get(1)).as("a lost chunk's record is left as it was").isEqualTo(chunk);
    }

    @Test
    void replicasOnAStoppedServerAreUnreachableAndTheirFilesUnderReplicated() throws IOException {
        f.upload("far", 6 * CHUNK);
        f.cluster.kill(0);
        f.master.refresh();

        FsckReport r = f.master.fsck(false);

        assertThat(r.liveServers()).isEqualTo(2);
        assertThat(r.files()).singleElement().extracting(FileReport::state).isEqualTo(FileState.UNDER_REPLICATED);
        assertThat(r.damagedChunks()).isNotEmpty().allSatisfy(c -> {
            assertThat(c.goodCount()).isEqualTo(1);
            assertThat(c.in(ReplicaState.UNREACHABLE)).singleElement()
                    .extracting(ReplicaReport::node).isEqualTo(f.nodes.get(0));
        });
        assertThat(f.master.status().healing().underReplicatedChunks()).isEqualTo(r.damagedChunks().size());
    }
}
