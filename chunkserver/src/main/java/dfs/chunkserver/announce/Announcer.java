package dfs.chunkserver.announce;

import dfs.common.wire.NodeId;
import dfs.common.wire.Protocol;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Map;
import java.util.Objects;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces one chunk server on the LAN by mDNS as {@link Protocol#SERVICE_TYPE}, instance
 * {@code dfs-<node id>}, with TXT records node, proto, port and cluster (the CA fingerprint; never
 * the secret). JmDNS runs on the one IPv4 address the caller names, never on an interface of its
 * own choosing. Thread-safe; {@link #close} withdraws the announcement and is idempotent.
 */
public final class Announcer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Announcer.class);

    private final JmDNS jmdns;
    private boolean closed;

    private Announcer(JmDNS jmdns) {
        this.jmdns = jmdns;
    }

    /**
     * Starts announcing.
     *
     * @param address the IPv4 address to announce on (and to put in the A record)
     * @param port the HTTPS port the server actually listens on
     * @param clusterFingerprint {@code ClusterTls.fingerprint()}, so masters can skip other clusters
     */
    public static Announcer start(InetAddress address, NodeId node, int port, String clusterFingerprint)
            throws IOException {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(clusterFingerprint, "clusterFingerprint");
        if (!(address instanceof Inet4Address)) {
            throw new IllegalArgumentException("mDNS announce address must be an IPv4 address, got " + address);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("cannot announce port " + port + ": not in 1..65535");
        }
        String name = instanceName(node);
        Map<String, String> txt = Map.of(
                Protocol.TXT_NODE, node.hex(),
                Protocol.TXT_PROTOCOL, Integer.toString(Protocol.VERSION),
                Protocol.TXT_PORT, Integer.toString(port),
                Protocol.TXT_CLUSTER, clusterFingerprint);
        ServiceInfo service = ServiceInfo.create(Protocol.SERVICE_TYPE, name, port, 0, 0, txt);
        JmDNS jmdns = JmDNS.create(address, name);
        try {
            jmdns.registerService(service);
        } catch (IOException | RuntimeException e) {
            jmdns.close();
            throw new IOException("cannot announce " + name + " by mDNS on " + address.getHostAddress()
                    + ": " + e.getMessage(), e);
        }
        LOG.info("announcing {} on {} port {}", name, address.getHostAddress(), port);
        return new Announcer(jmdns);
    }

    /** The mDNS instance name of a node: {@code dfs-<node id>}. */
    public static String instanceName(NodeId node) {
        return "dfs-" + node.hex();
    }

    /** Withdraws the announcement (a goodbye packet) and stops JmDNS. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        jmdns.close(); // unregisters every service first, sending the goodbye packets
    }
}
