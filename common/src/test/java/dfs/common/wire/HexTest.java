package dfs.common.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HexTest {
    @Test
    void acceptsExactlyTheGivenNumberOfLowercaseHexDigits() {
        assertThat(Hex.isLowerHex("0123456789abcdef", 16)).isTrue();
        assertThat(Hex.isLowerHex("", 0)).isTrue();
    }

    @Test
    void refusesOtherLengthsUppercaseNonHexAndNull() {
        assertThat(Hex.isLowerHex("0123456789abcde", 16)).isFalse();
        assertThat(Hex.isLowerHex("0123456789abcdef0", 16)).isFalse();
        assertThat(Hex.isLowerHex("0123456789ABCDEF", 16)).isFalse();
        assertThat(Hex.isLowerHex("0123456789abcdeg", 16)).isFalse();
        assertThat(Hex.isLowerHex("/123456789abcdef", 16)).isFalse(); // the characters either side
        assertThat(Hex.isLowerHex(":123456789abcdef", 16)).isFalse(); // of '0'-'9' and 'a'-'f'
        assertThat(Hex.isLowerHex("`123456789abcdef", 16)).isFalse();
        assertThat(Hex.isLowerHex(null, 16)).isFalse();
    }
}
