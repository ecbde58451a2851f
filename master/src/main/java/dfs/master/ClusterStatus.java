package dfs.master;

import dfs.common.wire.NodeId;
import dfs.master.cluster.ServerStatus;
import dfs.master.discovery.RejectedAnnouncement;
import dfs.master.placement.ReplicaPlacement;
import dfs.master.repair.HealingStatus;
import java.util.List;
import java.util.Set;

/**
 * A snapshot of the cluster for {@code status}: every known server with its liveness, the
 * announcements refused as foreign, the number of files, what the background healer last found
 * and has done, and the servers whose health reports say they are drained: no new copies go to
 * them. Immutable.
 */
public record ClusterStatus(List<ServerStatus> servers, List<RejectedAnnouncement> rejected, int files, int replicationFactor,
        HealingStatus healing, Set<NodeId> draining) {
    public ClusterStatus {
        servers = List.copyOf(servers);
        rejected = List.copyOf(rejected);
        draining = Set.copyOf(draining);
        java.util.Objects.requireNonNull(healing, "healing");
    }

    public long liveCount() {
        return servers.stream().filter(ServerStatus::isLive).count();
    }

    /** How many machines the live servers run on (see {@link ReplicaPlacement#machine}). */
    public int liveMachines() {
        return ReplicaPlacement.machines(servers);
    }

    /**
     * Whether new copies of a chunk may share a machine: some machine runs two live servers, and
     * the live servers run on fewer machines than the replication factor.
     */
    public boolean copiesShareMachines() {
        return liveMachines() < replicationFactor && liveCount() > liveMachines();
    }
}
