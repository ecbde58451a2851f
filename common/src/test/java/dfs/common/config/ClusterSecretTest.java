package dfs.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClusterSecretTest {
    @Test
    void roundTripsThroughItsEncodedForm() {
        ClusterSecret secret = ClusterSecret.generate();
        assertThat(secret.encoded()).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(ClusterSecret.parse(secret.encoded())).isEqualTo(secret).hasSameHashCodeAs(secret);
        assertThat(secret.bytes()).hasSize(32);
    }

    @Test
    void generatedSecretsDiffer() {
        assertThat(ClusterSecret.generate()).isNotEqualTo(ClusterSecret.generate());
    }

    @Test
    void bytesIsACopySoTheSecretCannotBeChangedFromOutside() {
        ClusterSecret secret = ClusterSecret.generate();
        String before = secret.encoded();
        secret.bytes()[0] ^= 1;
        assertThat(secret.encoded()).isEqualTo(before);
    }

    @Test
    void toStringNeverShowsTheValue() {
        ClusterSecret secret = ClusterSecret.generate();
        assertThat(secret).hasToString("ClusterSecret[redacted]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "short", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA AA"})
    void refusesMalformedTextWithoutEchoingIt(String text) {
        assertThatThrownBy(() -> ClusterSecret.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid cluster secret: expected 43 base64url characters")
                .satisfies(e -> {
                    if (text.length() >= 4) {
                        assertThat(e.getMessage()).doesNotContain(text.substring(0, 4));
                    }
                });
    }

    @Test
    void refusesAWrongLengthSayingHowLongItIs() {
        String tooLong = ClusterSecret.generate().encoded() + "x";
        assertThatThrownBy(() -> ClusterSecret.parse(tooLong))
                .hasMessageContaining("found 44 characters")
                .hasMessageNotContaining(tooLong.substring(0, 8));
    }
}
