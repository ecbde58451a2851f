package dfs.chunkserver.announce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dfs.chunkserver.ChunkServer;
import dfs.chunkserver.ChunkServerSettings;
import dfs.common.testing.TestTls;
import dfs.common.tls.ClusterTls;
import dfs.common.wire.NodeId;
import dfs.common.wire.Protocol;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Supplier;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mDNS announcement, seen by a second, independent JmDNS on the loopback address. */
class AnnouncerTest {
    private static InetAddress loopback;
    private static JmDNS listener;

    @BeforeAll
    static void startListener() throws Exception {
        loopback = InetAddress.getByName("127.0.0.1");
        listener = JmDNS.create(loopback, "announcer-test-listener");
    }

    @AfterAll
    static void stopListener() throws Exception {
        listener.close();
    }

    @Test
    void announcedServiceCarriesNodeProtocolPortAndCluster() throws Exception {
        NodeId node = NodeId.random();

        Announcer announcer = Announcer.start(loopback, node, 45678, "c0ffee12");
        try {
            ServiceInfo seen = await("the announcement", () -> find(node));

            assertThat(seen.getName()).isEqualTo("dfs-" + node.hex());
            assertThat(seen.getPort()).isEqualTo(45678);
            assertThat(seen.getPropertyString(Protocol.TXT_NODE)).isEqualTo(node.hex());
            assertThat(seen.getPropertyString(Protocol.TXT_PROTOCOL)).isEqualTo(Integer.toString(Protocol.VERSION));
            assertThat(seen.getPropertyString(Protocol.TXT_PORT)).isEqualTo("45678");
            assertThat(seen.getPropertyString(Protocol.TXT_CLUSTER)).isEqualTo("c0ffee12");
        } finally {
            announcer.close();
        }
    }

    @Test
    void closedAnnouncementDisappears() throws Exception {
        NodeId node = NodeId.random();
        Announcer announcer = Announcer.start(loopback, node, 45679, "c0ffee12");
        await("the announcement", () -> find(node));

        announcer.close();

        await("the announcement to be withdrawn", () -> listed(node).isPresent() ? Optional.empty() : Optional.of(true));
    }

    @Test
    void runningChunkServerIsAnnouncedWithItsBoundPortUntilClosed(@TempDir Path storage) throws Exception {
        ClusterTls tls = TestTls.member(TestTls.newCluster(), "chunk-server");
        ChunkServer server = ChunkServer.start(new ChunkServerSettings(storage, loopback, 0, tls.sslContext(),
                tls.fingerprint(), Optional.of(loopback)));
        NodeId node = server.nodeId();
        try {
            ServiceInfo seen = await("the chunk server's announcement", () -> find(node));

            assertThat(seen.getPort()).isEqualTo(server.port());
            assertThat(seen.getPropertyString(Protocol.TXT_PORT)).isEqualTo(Integer.toString(server.port()));
            assertThat(seen.getPropertyString(Protocol.TXT_CLUSTER)).isEqualTo(tls.fingerprint());
        } finally {
            server.close();
        }
        await("the chunk server's announcement to be withdrawn",
                () -> listed(node).isPresent() ? Optional.empty() : Optional.of(true));
    }

    @Test
    void announcingOnAnIpv6AddressIsRefused() throws Exception {
        assertThatThrownBy(() -> Announcer.start(InetAddress.getByName("::1"), NodeId.random(), 1, "c0ffee12"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("IPv4");
    }

    /**
     * The node's announcement once resolved: JmDNS may list an instance before its SRV record
     * (port 0), and resolve it before its TXT record has arrived (no properties), most often on a
     * busy machine.
     */
    private static Optional<ServiceInfo> find(NodeId node) {
        return listed(node).filter(info -> info.getPort() != 0 && info.getPropertyString(Protocol.TXT_NODE) != null);
    }

    /** The node's announcement as JmDNS lists it, resolved or not. */
    private static Optional<ServiceInfo> listed(NodeId node) {
        return Arrays.stream(listener.list(Protocol.SERVICE_TYPE, 200))
                .filter(info -> info.getName().equals(Announcer.instanceName(node)))
                .findFirst();
    }

    private static <T> T await(String what, Supplier<Optional<T>> probe) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            Optional<T> found = probe.get();
            if (found.isPresent()) {
                return found.get();
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("gave up waiting for " + what);
            }
        }
    }
}
