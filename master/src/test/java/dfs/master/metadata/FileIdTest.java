package dfs.master.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dfs.common.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FileIdTest {
    @Test
    void fileIdRoundTripsThroughItsText() {
        FileId id = FileId.random();
        assertThat(FileId.parse(id.toString())).isEqualTo(id);
        assertThat(id.hex()).hasSize(32);
    }

    @Test
    void randomFileIdsDiffer() {
        assertThat(FileId.random()).isNotEqualTo(FileId.random());
    }

    @Test
    void fileIdTravelsAsAPlainJsonString() throws Exception {
        FileId id = FileId.random();
        assertThat(Json.mapper().writeValueAsString(id)).isEqualTo("\"" + id.hex() + "\"");
        assertThat(Json.mapper().readValue("\"" + id.hex() + "\"", FileId.class)).isEqualTo(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0123456789abcdef0123456789abcdeF", "0123456789abcdef0123456789abcde",
        "0123456789abcdef0123456789abcdef0", "../0123456789abcdef0123456789ab"})
    void fileIdRefusesAnythingButThirtyTwoLowercaseHexDigits(String bad) {
        assertThatThrownBy(() -> FileId.parse(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid file id '" + bad + "'")
                .hasMessageContaining("32 lowercase hex digits");
    }
}
