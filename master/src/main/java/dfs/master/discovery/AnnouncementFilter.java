package dfs.master.discovery;

import dfs.common.wire.NodeId;
import dfs.common.wire.Protocol;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides whether an announcement is a candidate for this cluster: its TXT must name this
 * cluster's fingerprint, this protocol version, a well-formed node id, and it must come with an
 * IPv4 address and a port. The fingerprint only tells clusters apart on a shared LAN; passing
 * this filter proves nothing (anyone can copy a fingerprint), membership is proved over TLS.
 *
 * <p>Immutable and thread-safe.
 */
final class AnnouncementFilter {
    private final String clusterFingerprint;

    AnnouncementFilter(String clusterFingerprint) {
        if (clusterFingerprint == null || clusterFingerprint.isBlank()) {
            throw new IllegalArgumentException("mDNS discovery needs this cluster's fingerprint");
        }
        this.clusterFingerprint = clusterFingerprint;
    }

    Verdict judge(Announcement a) {
        if (a.text().isEmpty()) {
            return new Verdict.WithoutText();
        }
        Optional<InetSocketAddress> address = address(a);
        Optional<NodeId> node = node(a);

        String cluster = a.text().get(Protocol.TXT_CLUSTER);
        if (cluster == null || cluster.isEmpty()) {
            return reject(a, address, node, "announces no cluster fingerprint");
        }
        if (!cluster.equals(clusterFingerprint)) {
            return reject(a, address, node, "belongs to another cluster: fingerprint "
                    + abbreviate(cluster) + ", this cluster's is " + abbreviate(clusterFingerprint));
        }
        String proto = a.text().get(Protocol.TXT_PROTOCOL);
        if (proto == null || proto.isEmpty()) {
            return reject(a, address, node, "announces no protocol version");
        }
        if (!proto.equals(Integer.toString(Protocol.VERSION))) {
            return reject(a, address, node, "speaks protocol version " + abbreviate(proto)
                    + ", this master speaks " + Protocol.VERSION);
        }
        String nodeText = a.text().get(Protocol.TXT_NODE);
        if (node.isEmpty()) {
            return reject(a, address, node, nodeText == null
                    ? "announces no node id"
                    : "announces invalid node id '" + abbreviate(nodeText) + "'");
        }
        if (a.addresses().isEmpty()) {
            return reject(a, address, node, "announces no IPv4 address");
        }
        if (address.isEmpty()) {
            return reject(a, address, node, "announces no valid port");
        }
        return new Verdict.Accepted(new Candidate(address.get(), node,
                Optional.of(cluster), Candidate.MDNS));
    }

    private static Verdict reject(Announcement a, Optional<InetSocketAddress> address,
            Optional<NodeId> node, String reason) {
        return new Verdict.Rejected(new RejectedAnnouncement(a.instance(), address, node, reason));
    }

    /** The first IPv4 address with the SRV port, or the TXT port when SRV gave none. */
    private static Optional<InetSocketAddress> address(Announcement a) {
        if (a.addresses().isEmpty()) {
            return Optional.empty();
        }
        int port = a.port();
        if (port <= 0) {
            port = parsePort(a.text().get(Protocol.TXT_PORT));
        }
        if (port <= 0 || port > 65535) {
            return Optional.empty();
        }
        return Optional.of(new InetSocketAddress(a.addresses().get(0), port));
    }

    private static int parsePort(String text) {
        if (text == null) {
            return 0;
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Optional<NodeId> node(Announcement a) {
        String text = a.text().get(Protocol.TXT_NODE);
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(NodeId.parse(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Keeps reasons one short printable line, whatever a stranger put in its TXT record. */
    static String abbreviate(String s) {
        Objects.requireNonNull(s);
        String printable = s.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() > 20 ? printable.substring(0, 16) + "..." : printable;
    }
}
