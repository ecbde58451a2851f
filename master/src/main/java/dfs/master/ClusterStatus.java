package dfs.master;

import dfs.master.cluster.ServerStatus;
import dfs.master.discovery.RejectedAnnouncement;
import java.util.List;

/**
 * A snapshot of the cluster for {@code status}: every known server with its liveness, the
 * announcements refused as foreign, and the number of files. Immutable.
 */
public record ClusterStatus(List<ServerStatus> servers, List<RejectedAnnouncement> rejected, int files, int replicationFactor) {
    public ClusterStatus {
        servers = List.copyOf(servers);
        rejected = List.copyOf(rejected);
    }

    public long liveCount() {
        return servers.stream().filter(ServerStatus::isLive).count();
    }
}
