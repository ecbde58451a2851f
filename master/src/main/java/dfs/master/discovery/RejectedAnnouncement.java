package dfs.master.discovery;

import dfs.common.wire.NodeId;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * An mDNS announcement of the chunk-server service type that is not a candidate for this
 * cluster: another cluster's server, one that speaks another protocol version, or one whose
 * announcement is malformed. Kept so {@code status} can show what was seen and why it was left
 * out. Immutable and thread-safe.
 *
 * @param instance the mDNS service instance name, e.g. {@code chunk-3f2a...}
 * @param address the announced IPv4 address and port, when the announcement had both
 * @param node the announced node id, when it was well formed
 * @param reason one line saying why it was rejected, naming the offending value
 */
public record RejectedAnnouncement(String instance, Optional<InetSocketAddress> address,
        Optional<NodeId> node, String reason) {

    public RejectedAnnouncement {
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(node, "node");
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("rejected announcement '" + instance
                    + "' needs a reason");
        }
    }
}
