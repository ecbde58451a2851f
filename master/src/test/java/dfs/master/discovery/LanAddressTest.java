package dfs.master.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class LanAddressTest {
    @Test
    void usesLocalLiteralAsGiven() throws IOException {
        assertThat(LanAddress.resolve(" 127.0.0.1 ")).isEqualTo(InetAddress.getByName("127.0.0.1"));
    }

    @Test
    void refusesLiteralOfNoLocalInterfaceNamingIt() {
        // TEST-NET-2 (RFC 5737): reserved for documentation, never assigned to a real host
        assertThatThrownBy(() -> LanAddress.resolve("198.51.100.77"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("198.51.100.77")
                .hasMessageContaining("not an address of this machine")
                .hasMessageContaining("bind_address");
    }

    @ParameterizedTest
    @ValueSource(strings = {"::1", "fe80::1", "chunk-host", "256.1.1.1", "10.0.0", "10.0.0.1:7000",
        "010.0.0.1"})
    void refusesAnythingButIpv4Literal(String text) {
        assertThatThrownBy(() -> LanAddress.resolve(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'")
                .hasMessageContaining("not an IPv4 address");
    }
}
