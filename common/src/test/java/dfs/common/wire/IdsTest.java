package dfs.common.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dfs.common.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdsTest {
    @Test
    void chunkIdRoundTripsThroughItsText() {
        ChunkId id = ChunkId.random();
        assertThat(ChunkId.parse(id.toString())).isEqualTo(id);
        assertThat(id.hex()).hasSize(32);
    }

    @Test
    void randomChunkIdsDiffer() {
        assertThat(ChunkId.random()).isNotEqualTo(ChunkId.random());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "../../etc/passwd", "0123456789abcdef0123456789abcdeF",
        "0123456789abcdef0123456789abcde", "0123456789abcdef0123456789abcdef0",
        "..%2f..%2f0123456789abcdef012345", "0123456789abcdef/123456789abcdef"})
    void chunkIdRefusesAnythingButThirtyTwoLowercaseHexDigits(String bad) {
        assertThat(ChunkId.isValid(bad)).isFalse();
        assertThatThrownBy(() -> ChunkId.parse(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid chunk id")
                .hasMessageContaining("32 lowercase hex digits");
    }

    @Test
    void nodeIdRoundTripsThroughItsText() {
        NodeId id = NodeId.random();
        assertThat(NodeId.parse(id.toString())).isEqualTo(id);
        assertThatThrownBy(() -> NodeId.parse("xyz")).hasMessageContaining("invalid node id 'xyz'");
    }

    @Test
    void idsTravelAsPlainJsonStrings() throws Exception {
        ChunkId chunk = ChunkId.random();
        NodeId node = NodeId.random();
        assertThat(Json.mapper().writeValueAsString(chunk)).isEqualTo("\"" + chunk.hex() + "\"");
        assertThat(Json.mapper().readValue("\"" + node.hex() + "\"", NodeId.class)).isEqualTo(node);
        assertThat(Json.mapper().readValue(Json.mapper().writeValueAsString(new StoredChunk(chunk, 5, "ab")),
                StoredChunk.class)).isEqualTo(new StoredChunk(chunk, 5, "ab"));
    }
}
