package dfs.master.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dfs.common.wire.HealthReport;
import dfs.common.wire.NodeId;
import dfs.master.cluster.ServerStatus;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReplicaPlacementTest {
    static final long GIB = 1L << 30;
    static final long CHUNK = 4L << 20;

    @Test
    void serversWithNearlyTheSameFreeSpaceShareALargeUploadEvenly() throws NotEnoughServersException {
        // one disk seen by three servers at slightly different moments: a few MiB apart
        List<ServerStatus> live = List.of(server(50 * GIB), server(50 * GIB - (3 << 20)), server(50 * GIB - (7 << 20)));
        Map<NodeId, Integer> replicas = place(new ReplicaPlacement(), live, 30);

        assertThat(replicas).hasSize(3).allSatisfy((node, n) -> assertThat(n).isEqualTo(20));
    }

    @Test
    void aServerWithMuchLessFreeSpaceGetsNothingUntilTheOthersComeDownToIt() throws NotEnoughServersException {
        ServerStatus small = server(GIB);
        List<ServerStatus> live = List.of(server(10 * GIB), server(10 * GIB), small);

        Map<NodeId, Integer> early = place(new ReplicaPlacement(), live, 100); // 400 MiB each on the big two
        assertThat(early).doesNotContainKey(small.node().orElseThrow()).hasSize(2);

        ReplicaPlacement fill = new ReplicaPlacement();
        place(fill, live, 2_300); // ~9 GiB on each of the big two: the small one is now within a twentieth of them
        assertThat(place(fill, live, 30)).containsKey(small.node().orElseThrow());
    }

    @Test
    void singleChunkFilesAreSpreadOverEquallyFreeServers() throws NotEnoughServersException {
        List<ServerStatus> live = List.of(server(80 * GIB), server(80 * GIB + 1), server(80 * GIB + 2));
        Map<NodeId, Integer> replicas = new HashMap<>();
        for (int file = 0; file < 300; file++) {
            place(new ReplicaPlacement(), live, 1).forEach((node, n) -> replicas.merge(node, n, Integer::sum));
        }
        // each server is left out of a file with probability 1/3: 200 of 300 files on average
        assertThat(replicas).hasSize(3).allSatisfy((node, n) -> assertThat(n).isBetween(150, 250));
    }

    @Test
    void theReplicasOfAChunkAreOnDistinctLiveServersOutsideTheExcluded() throws NotEnoughServersException {
        ServerStatus a = server(GIB);
        ServerStatus b = server(GIB);
        ServerStatus c = server(GIB);
        ServerStatus suspect = new ServerStatus(a.address(), Optional.of(NodeId.random()), ServerStatus.Liveness.SUSPECT,
                Optional.empty(), Instant.EPOCH, "missed a health check");
        ReplicaPlacement placement = new ReplicaPlacement();

        for (int i = 0; i < 20; i++) {
            List<ServerStatus> chosen = placement.choose(List.of(a, b, b, c, suspect), 2, Set.of(a.node().orElseThrow()), CHUNK);
            assertThat(chosen).containsExactlyInAnyOrder(b, c);
        }
        assertThatThrownBy(() -> placement.choose(List.of(a, b, suspect), 2, Set.of(a.node().orElseThrow()), CHUNK))
                .isInstanceOf(NotEnoughServersException.class)
                .hasMessageContaining("need 3 live chunk servers").hasMessageContaining("2 are available");
    }

    @Test
    void theCopiesOfAChunkGoToDifferentMachinesEvenWhenOneMachineHasMoreRoom() throws NotEnoughServersException {
        ServerStatus alone = server("192.168.1.20", GIB);
        List<ServerStatus> live = List.of(server("192.168.1.10", 50 * GIB), server("192.168.1.10", 50 * GIB), alone);
        ReplicaPlacement placement = new ReplicaPlacement();

        for (int i = 0; i < 50; i++) {
            assertThat(placement.choose(live, 2, Set.of(), CHUNK)).extracting(ReplicaPlacement::machine)
                    .containsExactlyInAnyOrder("192.168.1.10", "192.168.1.20");
        }
        assertThat(ReplicaPlacement.machines(live)).isEqualTo(2);
    }

    @Test
    void aReplacementCopyAvoidsTheMachinesOfTheExcludedServersWhileItCan() throws NotEnoughServersException {
        ServerStatus holder = server("192.168.1.10", GIB);
        ServerStatus besideHolder = server("192.168.1.10", 9 * GIB);
        ServerStatus elsewhere = server("192.168.1.30", GIB);
        ReplicaPlacement placement = new ReplicaPlacement();

        for (int i = 0; i < 20; i++) {
            assertThat(placement.choose(List.of(holder, besideHolder, elsewhere), 1, Set.of(holder.node().orElseThrow()),
                    CHUNK)).containsExactly(elsewhere);
        }
        // no other machine left: a second server of the holder's machine is better than no copy
        assertThat(placement.choose(List.of(holder, besideHolder), 1, Set.of(holder.node().orElseThrow()), CHUNK))
                .containsExactly(besideHolder);
    }

    @Test
    void serversOnOneMachineStillTakeDistinctCopies() throws NotEnoughServersException {
        List<ServerStatus> live = List.of(server(GIB), server(GIB), server(GIB));
        List<ServerStatus> chosen = new ReplicaPlacement().choose(live, 3, Set.of(), CHUNK);
        assertThat(chosen).doesNotHaveDuplicates().hasSize(3);
        assertThat(ReplicaPlacement.machines(live)).isEqualTo(1);
    }

    @Test
    void serversOfOneMachineOnOneDiskShareItsFreeSpaceInTheRoom() {
        List<ServerStatus> oneDisk = List.of(server("10.0.0.1", "801", 8 * GIB), server("10.0.0.1", "801", 8 * GIB),
                server("10.0.0.1", "801", 8 * GIB));
        assertThat(ReplicaPlacement.room(oneDisk, 2)).as("two copies of a byte on one 8 GiB disk").isEqualTo(4 * GIB);
        assertThat(ReplicaPlacement.disks(oneDisk)).isEqualTo(1);
        assertThat(ReplicaPlacement.freeBytes(oneDisk)).isEqualTo(8 * GIB);

        // two servers on one disk, one on another: each byte has one copy on the second disk
        List<ServerStatus> twoDisks = List.of(server("10.0.0.1", "801", 8 * GIB), server("10.0.0.1", "801", 8 * GIB),
                server("10.0.0.1", "802", 8 * GIB));
        assertThat(ReplicaPlacement.room(twoDisks, 2)).isEqualTo(8 * GIB);
        assertThat(ReplicaPlacement.freeBytes(twoDisks)).isEqualTo(16 * GIB);

        // the same device number on two machines is two disks
        List<ServerStatus> twoMachines = List.of(server("10.0.0.1", "801", 8 * GIB), server("10.0.0.2", "801", 8 * GIB));
        assertThat(ReplicaPlacement.room(twoMachines, 2)).isEqualTo(8 * GIB);
        assertThat(ReplicaPlacement.disks(twoMachines)).isEqualTo(2);
    }

    private static Map<NodeId, Integer> place(ReplicaPlacement placement, List<ServerStatus> live, int chunks)
            throws NotEnoughServersException {
        Map<NodeId, Integer> replicas = new HashMap<>();
        for (int i = 0; i < chunks; i++) {
            List<ServerStatus> chosen = placement.choose(live, 2, Set.of(), CHUNK);
            assertThat(chosen).extracting(ServerStatus::node).doesNotHaveDuplicates();
            chosen.forEach(s -> replicas.merge(s.node().orElseThrow(), 1, Integer::sum));
        }
        return replicas;
    }

    @Test
    void roomForTwoCopiesIsHalfTheFreeSpaceWhenNoServerOutweighsTheRest() {
        assertThat(ReplicaPlacement.room(List.of(server(4 * GIB), server(3 * GIB), server(3 * GIB)), 2))
                .isEqualTo(5 * GIB);
    }

    @Test
    void roomIsLimitedByWhatTheOtherServersCanMirrorOfTheLargestOne() {
        // 10 GiB free on one server, 1 GiB on each of two others: every byte needs a second server
        assertThat(ReplicaPlacement.room(List.of(server(10 * GIB), server(GIB), server(GIB)), 2)).isEqualTo(2 * GIB);
        assertThat(ReplicaPlacement.room(List.of(server(10 * GIB), server(GIB), server(GIB)), 3)).isEqualTo(GIB);
    }

    @Test
    void roomCountsEachLiveNodeOnceAndNeedsEnoughOfThem() {
        ServerStatus big = server(8 * GIB);
        ServerStatus dead = new ServerStatus(big.address(), Optional.of(NodeId.random()), ServerStatus.Liveness.DEAD,
                big.health(), Instant.EPOCH, "silent");
        assertThat(ReplicaPlacement.room(List.of(big, big, server(8 * GIB)), 2)).isEqualTo(8 * GIB);
        assertThat(ReplicaPlacement.room(List.of(big, dead), 2)).isZero();
        assertThat(ReplicaPlacement.room(List.of(), 2)).isZero();
    }

    private static ServerStatus server(long freeBytes) {
        return server("127.0.0.1", freeBytes);
    }

    /** A live server reached at {@code host} (a placement only reads it: no traffic is sent). */
    private static ServerStatus server(String host, long freeBytes) {
        return server(host, null, freeBytes);
    }

    /** As {@link #server(String, long)}, reporting its storage on {@code disk} (null: none reported). */
    private static ServerStatus server(String host, String disk, long freeBytes) {
        NodeId node = NodeId.random();
        HealthReport health = new HealthReport(node, "test", 1, 0, 0, freeBytes, 100 * GIB, null, disk);
        return new ServerStatus(InetSocketAddress.createUnresolved(host, 7000), Optional.of(node),
                ServerStatus.Liveness.LIVE, Optional.of(health), Instant.EPOCH, "");
    }
}
