package dfs.common.wire;

import dfs.common.config.HostPort;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One more chunk server a stored chunk is to be passed on to ({@link Protocol#FORWARD_HEADER}):
 * the node expected there, and where it listens. Written {@code node@host:port}, hops separated
 * by commas. Immutable.
 */
public record ForwardHop(NodeId node, HostPort address) {
    /** The longest chain a header may name: one less than the highest replication factor. */
    public static final int MAX_HOPS = 15;

    public ForwardHop {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(address, "address");
    }

    /** The header value for {@code hops}, which {@link #parseAll} reads back. */
    public static String format(List<ForwardHop> hops) {
        return hops.stream().map(ForwardHop::toString).collect(Collectors.joining(","));
    }

    /**
     * Reads a header value: 1 to {@value #MAX_HOPS} hops, each node named once.
     *
     * @throws IllegalArgumentException saying what is wrong and what was expected
     */
    public static List<ForwardHop> parseAll(String header) {
        String[] parts = header.split(",", -1);
        if (parts.length > MAX_HOPS) {
            throw new IllegalArgumentException("names " + parts.length + " servers; at most " + MAX_HOPS
                    + " are accepted");
        }
        List<ForwardHop> hops = new ArrayList<>(parts.length);
        Set<NodeId> seen = new HashSet<>();
        for (String part : parts) {
            int at = part.indexOf('@');
            if (at < 0) {
                throw new IllegalArgumentException("'" + ChunkId.abbreviate(part)
                        + "' is not node@host:port, like 0123456789abcdef@192.168.1.20:7443");
            }
            ForwardHop hop = new ForwardHop(NodeId.parse(part.substring(0, at)), HostPort.parse(part.substring(at + 1)));
            if (!seen.add(hop.node())) {
                throw new IllegalArgumentException("names node " + hop.node() + " twice");
            }
            hops.add(hop);
        }
        return List.copyOf(hops);
    }

    @Override
    public String toString() {
        return node.hex() + "@" + address;
    }
}
