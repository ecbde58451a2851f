package dfs.master.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class StaticDiscoveryTest {
    private static final InetSocketAddress FIRST = InetSocketAddress.createUnresolved("nas.lan", 7001);
    private static final InetSocketAddress SECOND = new InetSocketAddress("127.0.0.1", 7002);

    @Test
    void listsConfiguredServersInOrder() {
        try (Discovery discovery = new StaticDiscovery(List.of(FIRST, SECOND))) {
            assertThat(discovery.candidates()).containsExactly(
                    Candidate.ofStatic(FIRST), Candidate.ofStatic(SECOND));
            assertThat(discovery.candidates()).allSatisfy(c -> {
                assertThat(c.source()).isEqualTo("static");
                assertThat(c.node()).isEmpty();
                assertThat(c.clusterFingerprint()).isEmpty();
            });
        }
    }

    @Test
    void awaitReturnsTheListAtOnceEvenWhenShort() {
        try (Discovery discovery = new StaticDiscovery(List.of(FIRST))) {
            // a day-long wait that returns shows a fixed list is not waited on
            assertThat(discovery.await(3, Duration.ofDays(1))).containsExactly(Candidate.ofStatic(FIRST));
        }
    }

    @Test
    void rejectsNothing() {
        try (Discovery discovery = new StaticDiscovery(List.of(FIRST))) {
            assertThat(discovery.rejected()).isEmpty();
        }
    }

    @Test
    void refusesServerListedTwiceNamingIt() {
        assertThatThrownBy(() -> new StaticDiscovery(List.of(SECOND, FIRST, SECOND)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("127.0.0.1:7002")
                .hasMessageContaining("listed twice");
    }

    @Test
    void refusesAddressWithoutPort() {
        assertThatThrownBy(() -> new StaticDiscovery(List.of(new InetSocketAddress("127.0.0.1", 0))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no port");
    }
}
