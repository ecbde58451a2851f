package dfs.master;

import dfs.master.cluster.ServerStatus;
import dfs.master.discovery.RejectedAnnouncement;
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
}
