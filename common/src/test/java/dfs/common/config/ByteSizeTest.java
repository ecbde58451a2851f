package dfs.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteSizeTest {
    @ParameterizedTest
    @CsvSource({"4194304, 4194304", "1000B, 1000", "0, 0", "512KiB, 524288", "4MiB, 4194304", "4 MiB, 4194304",
        "4mib, 4194304", "4MIB, 4194304", "1GiB, 1073741824", "2TiB, 2199023255552", "64kib, 65536"})
    void parsesPlainBytesAndBinaryUnitsInAnyCase(String text, long bytes) {
        assertThat(ByteSize.parse(text).bytes()).isEqualTo(bytes);
    }

    @ParameterizedTest
    @CsvSource({"4194304, 4MiB", "524288, 512KiB", "1000, 1000B", "0, 0B", "1073741824, 1GiB",
        "1536, 1536B", "1572864, 1536KiB"})
    void printsTheShortestExactForm(long bytes, String text) {
        assertThat(new ByteSize(bytes)).hasToString(text);
        assertThat(ByteSize.parse(text).bytes()).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"4MB", "4mb", "512KB", "1GB", "4M", "1TB"})
    void refusesDecimalLookingUnitsSuggestingTheBinaryOne(String text) {
        String number = text.replaceAll("\\D", "");
        String binary = number + Character.toUpperCase(text.charAt(number.length())) + "iB";
        assertThatThrownBy(() -> ByteSize.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "' is ambiguous")
                .hasMessageContaining("write " + binary);
    }

    @ParameterizedTest
    @ValueSource(strings = {"huge", "", "-4MiB", "1.5MiB", "MiB", "4 MiB B"})
    void refusesTextThatIsNotASize(String text) {
        assertThatThrownBy(() -> ByteSize.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'" + text + "' is not a size; expected a size like 4MiB or 512KiB");
    }

    @Test
    void refusesAnUnknownUnitNamingIt() {
        assertThatThrownBy(() -> ByteSize.parse("4PiB")).hasMessageContaining("unknown unit 'PiB'");
    }

    @Test
    void refusesSizesThatOverflow() {
        assertThatThrownBy(() -> ByteSize.parse("9999999TiB")).hasMessageContaining("too large");
        assertThatThrownBy(() -> ByteSize.parse("99999999999999999999")).hasMessageContaining("too large");
    }

    @Test
    void readsForAPersonInBinaryUnitsWithOneDecimal() {
        assertThat(ByteSize.human(1023)).isEqualTo("1023 B");
        assertThat(ByteSize.human(1536)).isEqualTo("1.5 KiB");
        assertThat(ByteSize.human(4L << 20)).isEqualTo("4.0 MiB");
        assertThat(ByteSize.human((1L << 40) - 1)).isEqualTo("1024.0 GiB");
        assertThat(ByteSize.human(3L << 40)).isEqualTo("3.0 TiB");
        assertThat(ByteSize.human(Long.MAX_VALUE / 2)).isEqualTo("4.0 EiB");
    }
}
