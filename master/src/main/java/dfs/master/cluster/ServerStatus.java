package dfs.master.cluster;

import dfs.common.wire.HealthReport;
import dfs.common.wire.NodeId;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the master knows of one chunk server at one moment. Immutable.
 *
 * @param address where it was last reached or announced
 * @param node its node id, once it has proved membership over mutual TLS
 * @param liveness see {@link Liveness}
 * @param health its last health report
 * @param lastSeen when it last answered a health check ({@link Instant#EPOCH} if never)
 * @param note why it is suspect, dead or rejected; empty when live
 */
public record ServerStatus(InetSocketAddress address, Optional<NodeId> node, Liveness liveness,
        Optional<HealthReport> health, Instant lastSeen, String note) {

    /** A server's standing, from health checks (not from mDNS, whose records outlive dead servers). */
    public enum Liveness {
        /** Answered the last health check. */
        LIVE,
        /** Missed health checks, but for less than {@code dead_after}. Not chosen for new replicas. */
        SUSPECT,
        /** Silent for longer than {@code dead_after}. */
        DEAD,
        /** Announced itself but could not prove it belongs to this cluster. Never sent data. */
        REJECTED
    }

    public ServerStatus {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(liveness, "liveness");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(lastSeen, "lastSeen");
        Objects.requireNonNull(note, "note");
    }

    public boolean isLive() {
        return liveness == Liveness.LIVE && node.isPresent();
    }

    /** "chunk server NODE (host:port)", as messages name it. */
    public String describe() {
        return "chunk server " + node.map(Object::toString).orElse("?") + " (" + ChunkClient.format(address) + ")";
    }

    public long freeBytes() {
        return health.map(HealthReport::freeBytes).orElse(0L);
    }
}
