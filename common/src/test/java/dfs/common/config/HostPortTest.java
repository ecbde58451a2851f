package dfs.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostPortTest {
    @ParameterizedTest
    @CsvSource({"192.168.1.20:7443, 192.168.1.20, 7443", "nas.local:1, nas.local, 1",
        "[::1]:7443, ::1, 7443", "[fe80::1]:65535, fe80::1, 65535", "localhost:8080, localhost, 8080"})
    void parsesHostAndPortAndPrintsThemBack(String text, String host, int port) {
        HostPort hp = HostPort.parse(text);
        assertThat(hp).isEqualTo(new HostPort(host, port));
        assertThat(hp).hasToString(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"host:0", "host:65536", "[::1]:0"})
    void refusesPortsOutsideOneTo65535(String text) {
        assertThatThrownBy(() -> HostPort.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'")
                .hasMessageContaining("1 to 65535");
    }

    @ParameterizedTest
    @ValueSource(strings = {"host", "host:", ":7443", "host:port", "host:-1", "host:+7443", "ho st:7443",
        "[::1:7443", "[nothost]:7443", "bad_host!:7443", ""})
    void refusesTextThatIsNotHostColonPort(String text) {
        assertThatThrownBy(() -> HostPort.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'")
                .hasMessageContaining("expected host:port like 192.168.1.20:7443");
    }

    @ParameterizedTest
    @ValueSource(strings = {"::1:7443", "fe80::1:7443"})
    void refusesAnUnbracketedIpv6AddressAsAmbiguous(String text) {
        assertThatThrownBy(() -> HostPort.parse(text))
                .hasMessageContaining("ambiguous")
                .hasMessageContaining("[fe80::1]:7443");
    }

    @Test
    void anIpLiteralBecomesTheAddressItNamesEqualToADiscoveredOne() throws Exception {
        assertThat(HostPort.parse("127.0.0.1:7443").toSocketAddress())
                .isEqualTo(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 7443))
                .matches(a -> !a.isUnresolved());
        byte[] v6Loopback = new byte[16];
        v6Loopback[15] = 1;
        assertThat(HostPort.parse("[::1]:7443").toSocketAddress())
                .isEqualTo(new InetSocketAddress(InetAddress.getByAddress(v6Loopback), 7443));
    }

    @ParameterizedTest
    @ValueSource(strings = {"nas.local:7443", "999.1.1.1:7443", "1.2.3:7443", "1.2.3.4.5:7443", "[fe80:::::::::1]:7443"})
    void aHostNameOrAnInvalidLiteralStaysUnresolved(String text) {
        HostPort hp = HostPort.parse(text);
        assertThat(hp.toSocketAddress()).matches(InetSocketAddress::isUnresolved)
                .extracting(InetSocketAddress::getHostString, InetSocketAddress::getPort)
                .containsExactly(hp.host(), 7443);
    }
}
