package dfs.master.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dfs.common.wire.NodeId;
import dfs.common.wire.Protocol;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.jmdns.ServiceInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real mDNS on loopback: a fake announcer and the discovery under test, each with its own JmDNS
 * on 127.0.0.1. Other test runs on this machine may announce on loopback at the same time, so
 * each test uses its own random cluster fingerprint and instance names, and looks only for
 * those.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MdnsDiscoveryTest {
    private static final Duration PATIENCE = Duration.ofSeconds(45);

    /** Shared because starting and closing JmDNS costs seconds; emptied after every test. */
    private static FakeAnnouncer announcer;
    private final String cluster = randomHex(16);
    private MdnsDiscovery discovery;

    @BeforeAll
    static void startAnnouncer() throws IOException {
        announcer = new FakeAnnouncer();
    }

    @AfterAll
    static void stopAnnouncer() throws IOException {
        announcer.close();
    }

    @BeforeEach
    void startDiscovery() throws IOException {
        discovery = MdnsDiscovery.start(InetAddress.getByName("127.0.0.1"), cluster);
    }

    @AfterEach
    void stopDiscovery() {
        try {
            discovery.close();
        } finally {
            announcer.withdrawAll();
        }
    }

    @Test
    void discoversAnnouncedServerWithNodeIdPortAndAddress() throws IOException {
        NodeId node = NodeId.random();
        announcer.announce(Protocol.SERVICE_TYPE, instance(), 7101,
                FakeAnnouncer.text(node, 7101, cluster));

        waitUntil("the announced server is a candidate", () -> !discovery.candidates().isEmpty());

        assertThat(discovery.candidates()).containsExactly(new Candidate(
                new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 7101),
                Optional.of(node), Optional.of(cluster), Candidate.MDNS));
    }

    @Test
    void ignoresServicesOfAnotherType() throws IOException {
        String web = instance();
        announcer.announce("_http._tcp.local.", web, 7102,
                FakeAnnouncer.text(NodeId.random(), 7102, cluster));
        // announced after the other one: once it is seen, the other one has had its chance
        NodeId node = NodeId.random();
        announcer.announce(Protocol.SERVICE_TYPE, instance(), 7103,
                FakeAnnouncer.text(node, 7103, cluster));

        waitUntil("the chunk server is a candidate", () -> !discovery.candidates().isEmpty());

        assertThat(discovery.candidates()).extracting(Candidate::node)
                .containsExactly(Optional.of(node));
        assertThat(discovery.rejected()).extracting(RejectedAnnouncement::instance)
                .doesNotContain(web);
    }

    @Test
    void rejectsServerOfAnotherCluster() throws IOException {
        String stranger = instance();
        announcer.announce(Protocol.SERVICE_TYPE, stranger, 7104,
                FakeAnnouncer.text(NodeId.random(), 7104, randomHex(16)));

        RejectedAnnouncement rejected = awaitRejection(stranger);

        assertThat(rejected.reason()).contains("another cluster");
        assertThat(discovery.candidates()).isEmpty();
    }

    @Test
    void rejectsServerSpeakingAnotherProtocolVersion() throws IOException {
        String future = instance();
        Map<String, String> text = FakeAnnouncer.text(NodeId.random(), 7105, cluster);
        text.put(Protocol.TXT_PROTOCOL, Integer.toString(Protocol.VERSION + 1));
        announcer.announce(Protocol.SERVICE_TYPE, future, 7105, text);

        RejectedAnnouncement rejected = awaitRejection(future);

        assertThat(rejected.reason()).contains("protocol version " + (Protocol.VERSION + 1));
        assertThat(discovery.candidates()).isEmpty();
    }

    @Test
    void serverWithoutTextIsNeverCandidate() throws IOException {
        String mute = instance();
        announcer.announce(Protocol.SERVICE_TYPE, mute, 7106, Map.of());

        RejectedAnnouncement rejected = awaitRejection(mute);

        assertThat(rejected.reason()).contains("no TXT record");
        assertThat(discovery.candidates()).isEmpty();
    }

    @Test
    void awaitReturnsAsSoonAsEnoughServersAreAnnounced() throws IOException {
        NodeId first = NodeId.random();
        NodeId second = NodeId.random();
        announcer.announce(Protocol.SERVICE_TYPE, instance(), 7107,
                FakeAnnouncer.text(first, 7107, cluster));
        announcer.announce(Protocol.SERVICE_TYPE, instance(), 7108,
                FakeAnnouncer.text(second, 7108, cluster));

        // far longer than the class timeout: returning at all means it did not wait it out
        List<Candidate> found = discovery.await(2, Duration.ofDays(1));

        assertThat(found).extracting(Candidate::node)
                .containsExactlyInAnyOrder(Optional.of(first), Optional.of(second));
    }

    @Test
    void awaitReturnsWhatItHasWhenTimeoutPasses() throws IOException {
        NodeId only = NodeId.random();
        announcer.announce(Protocol.SERVICE_TYPE, instance(), 7109,
                FakeAnnouncer.text(only, 7109, cluster));
        waitUntil("the announced server is a candidate", () -> !discovery.candidates().isEmpty());

        List<Candidate> found = discovery.await(2, Duration.ofMillis(100));

        assertThat(found).extracting(Candidate::node).containsExactly(Optional.of(only));
    }

    @Test
    void withdrawnServerStopsBeingCandidate() throws IOException {
        ServiceInfo info = announcer.announce(Protocol.SERVICE_TYPE, instance(), 7110,
                FakeAnnouncer.text(NodeId.random(), 7110, cluster));
        waitUntil("the announced server is a candidate", () -> !discovery.candidates().isEmpty());

        announcer.withdraw(info);

        waitUntil("the withdrawn server is gone", () -> discovery.candidates().isEmpty());
    }

    @Test
    void refusesIpv6Address() {
        assertThatThrownBy(() -> MdnsDiscovery.start(InetAddress.getByName("::1"), cluster))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("IPv4");
    }

    private RejectedAnnouncement awaitRejection(String instance) {
        waitUntil("announcement " + instance + " is rejected", () -> discovery.rejected().stream()
                .anyMatch(r -> r.instance().equals(instance)));
        return discovery.rejected().stream()
                .filter(r -> r.instance().equals(instance)).findFirst().orElseThrow();
    }

    /** Polls until the condition holds; on timeout fails showing what discovery knew. */
    private void waitUntil(String what, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(PATIENCE);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out after " + PATIENCE + " waiting until " + what
                        + "; candidates " + discovery.candidates()
                        + ", rejected " + discovery.rejected());
            }
            // a short wait on the discovery itself, not a sleep: it returns on any new candidate
            discovery.await(Integer.MAX_VALUE, Duration.ofMillis(50));
        }
    }

    private static String instance() {
        return "test-chunk-" + randomHex(6);
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
