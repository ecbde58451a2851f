package dfs.master.discovery;

import dfs.common.wire.NodeId;
import dfs.common.wire.Protocol;
import java.io.IOException;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceInfo;

/**
 * Announces fake chunk servers over real mDNS from its own JmDNS instance on 127.0.0.1, as
 * chunk servers on other machines would. Nothing listens on the announced ports.
 */
final class FakeAnnouncer implements AutoCloseable {
    private final JmDNS jmdns;

    FakeAnnouncer() throws IOException {
        jmdns = JmDNS.create(InetAddress.getByName("127.0.0.1"), "fake-chunk-servers");
    }

    /** The TXT properties a chunk server of {@code cluster} announces. */
    static Map<String, String> text(NodeId node, int port, String cluster) {
        Map<String, String> text = new HashMap<>();
        text.put(Protocol.TXT_NODE, node.hex());
        text.put(Protocol.TXT_PROTOCOL, Integer.toString(Protocol.VERSION));
        text.put(Protocol.TXT_PORT, Integer.toString(port));
        text.put(Protocol.TXT_CLUSTER, cluster);
        return text;
    }

    ServiceInfo announce(String type, String instance, int port, Map<String, ?> text)
            throws IOException {
        ServiceInfo info = ServiceInfo.create(type, instance, port, 0, 0, text);
        jmdns.registerService(info);
        return info;
    }

    void withdraw(ServiceInfo info) {
        jmdns.unregisterService(info);
    }

    void withdrawAll() {
        jmdns.unregisterAllServices();
    }

    @Override
    public void close() throws IOException {
        jmdns.close();
    }
}
