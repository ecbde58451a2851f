package dfs.master.discovery;

import dfs.common.wire.NodeId;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * A place where a chunk server may be listening, as suggested by discovery.
 *
 * <p>A candidate is a hint, never trust: anyone on the LAN can announce anything over mDNS. The
 * master admits a server only after it has proved its membership over mutual TLS. For the same
 * reason {@link #node} and {@link #clusterFingerprint} are what the server <em>claims</em>.
 * Immutable and thread-safe.
 *
 * @param address where to connect: an IPv4 literal and port for mDNS candidates; as configured
 *     (possibly an unresolved host name) for static ones
 * @param node the node id the server announced; empty for static candidates
 * @param clusterFingerprint the cluster CA fingerprint the server announced; empty for static
 *     candidates
 * @param source how the candidate was found: {@link #MDNS} or {@link #STATIC}
 */
public record Candidate(InetSocketAddress address, Optional<NodeId> node,
        Optional<String> clusterFingerprint, String source) {

    /** {@link #source} of candidates found by mDNS. */
    public static final String MDNS = "mdns";
    /** {@link #source} of candidates from a configured list. */
    public static final String STATIC = "static";

    public Candidate {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(clusterFingerprint, "clusterFingerprint");
        if (address.getPort() == 0) {
            throw new IllegalArgumentException("candidate " + address + " has no port");
        }
        if (!MDNS.equals(source) && !STATIC.equals(source)) {
            throw new IllegalArgumentException("candidate source '" + source
                    + "' is neither '" + MDNS + "' nor '" + STATIC + "'");
        }
    }

    /** A configured address: nothing is known about the server behind it yet. */
    public static Candidate ofStatic(InetSocketAddress address) {
        return new Candidate(address, Optional.empty(), Optional.empty(), STATIC);
    }
}
