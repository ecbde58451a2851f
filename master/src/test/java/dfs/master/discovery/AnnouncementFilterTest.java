package dfs.master.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dfs.common.wire.NodeId;
import dfs.common.wire.Protocol;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AnnouncementFilterTest {
    private static final String CLUSTER = "c0ffee00c0ffee00c0ffee00c0ffee00";
    private static final NodeId NODE = NodeId.parse("0123456789abcdef");
    private final AnnouncementFilter filter = new AnnouncementFilter(CLUSTER);

    @Test
    void acceptsServerOfThisClusterAndProtocol() {
        Verdict verdict = filter.judge(announcement(7001, text()));

        assertThat(verdict).isEqualTo(new Verdict.Accepted(new Candidate(
                new InetSocketAddress(ipv4("192.168.1.20"), 7001), Optional.of(NODE),
                Optional.of(CLUSTER), Candidate.MDNS)));
    }

    @Test
    void resolutionWithoutTextIsNotJudgedYet() {
        assertThat(filter.judge(announcement(7001, Map.of()))).isEqualTo(new Verdict.WithoutText());
    }

    @Test
    void rejectsServerOfAnotherClusterNamingItsFingerprint() {
        Map<String, String> text = text();
        text.put(Protocol.TXT_CLUSTER, "deadbeef");

        RejectedAnnouncement rejected = rejection(filter.judge(announcement(7001, text)));

        assertThat(rejected.reason()).contains("another cluster").contains("deadbeef");
        assertThat(rejected.node()).contains(NODE);
        assertThat(rejected.address()).contains(new InetSocketAddress(ipv4("192.168.1.20"), 7001));
    }

    @Test
    void rejectsServerWithoutClusterFingerprint() {
        Map<String, String> text = text();
        text.remove(Protocol.TXT_CLUSTER);

        assertThat(rejection(filter.judge(announcement(7001, text))).reason())
                .contains("no cluster fingerprint");
    }

    @Test
    void rejectsServerSpeakingAnotherProtocolVersion() {
        Map<String, String> text = text();
        text.put(Protocol.TXT_PROTOCOL, Integer.toString(Protocol.VERSION + 1));

        assertThat(rejection(filter.judge(announcement(7001, text))).reason())
                .contains("protocol version " + (Protocol.VERSION + 1));
    }

    @Test
    void rejectsServerWithMalformedNodeId() {
        Map<String, String> text = text();
        text.put(Protocol.TXT_NODE, "not-a-node");

        RejectedAnnouncement rejected = rejection(filter.judge(announcement(7001, text)));

        assertThat(rejected.reason()).contains("invalid node id 'not-a-node'");
        assertThat(rejected.node()).isEmpty();
    }

    @Test
    void rejectsServerWithoutIpv4Address() {
        Announcement noAddress = new Announcement("cs-1", List.of(), 7001, text());

        assertThat(rejection(filter.judge(noAddress)).reason()).contains("no IPv4 address");
    }

    @Test
    void takesPortFromTextWhenServiceRecordHasNone() {
        Map<String, String> text = text();
        text.put(Protocol.TXT_PORT, "7002");

        Verdict verdict = filter.judge(announcement(0, text));

        assertThat(((Verdict.Accepted) verdict).candidate().address().getPort()).isEqualTo(7002);
    }

    @Test
    void keepsStrangersTextShortAndPrintableInReasons() {
        Map<String, String> text = text();
        text.put(Protocol.TXT_CLUSTER, "x".repeat(500) + "\n");

        assertThat(rejection(filter.judge(announcement(7001, text))).reason())
                .doesNotContain("\n").hasSizeLessThan(120);
    }

    @Test
    void refusesBlankExpectedFingerprint() {
        assertThatThrownBy(() -> new AnnouncementFilter(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fingerprint");
    }

    private static RejectedAnnouncement rejection(Verdict verdict) {
        assertThat(verdict).isInstanceOf(Verdict.Rejected.class);
        return ((Verdict.Rejected) verdict).announcement();
    }

    private static Announcement announcement(int port, Map<String, String> text) {
        return new Announcement("cs-1", List.of(ipv4("192.168.1.20")), port, text);
    }

    private static Map<String, String> text() {
        Map<String, String> text = new HashMap<>();
        text.put(Protocol.TXT_NODE, NODE.hex());
        text.put(Protocol.TXT_PROTOCOL, Integer.toString(Protocol.VERSION));
        text.put(Protocol.TXT_PORT, "7001");
        text.put(Protocol.TXT_CLUSTER, CLUSTER);
        return text;
    }

    private static Inet4Address ipv4(String literal) {
        try {
            return (Inet4Address) InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
