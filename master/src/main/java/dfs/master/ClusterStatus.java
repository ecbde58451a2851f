package dfs.master;

import dfs.master.cluster.ServerStatus;
import dfs.master.discovery.RejectedAnnouncement;
import dfs.master.placement.ReplicaPlacement;
import dfs.master.repair.HealingStatus;
import java.util.List;

/**
 * A snapshot of the cluster for {@code status}: every known server with its liveness, the
 * announcements refused as foreign, the number of files, and what the background healer last
 * found and has done. Immutable.
 */
public record ClusterStatus(List<ServerStatus> servers, List<RejectedAnnouncement> rejected, int files, int replicationFactor,
        HealingStatus healing) {
    public ClusterStatus {
        servers = List.copyOf(servers);
        rejected = List.copyOf(rejected);
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
