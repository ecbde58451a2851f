package dfs.master.metadata;

import static dfs.master.metadata.Records.CREATED;
import static dfs.master.metadata.Records.KEY;
import static dfs.master.metadata.Records.NODE_A;
import static dfs.master.metadata.Records.NODE_B;
import static dfs.master.metadata.Records.NODE_C;
import static dfs.master.metadata.Records.SHA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dfs.common.json.Json;
import dfs.common.wire.ChunkId;
import dfs.common.wire.NodeId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FileRecordTest {
    private static ChunkRecord chunk(int index) {
        return new ChunkRecord(index, ChunkId.random(), 32, SHA, List.of(NODE_A, NODE_B));
    }

    private static FileRecord file(long size, int chunkSize, int chunkCount, List<ChunkRecord> chunks) {
        return new FileRecord("f.bin", FileId.random(), size, chunkSize, chunkCount, SHA, KEY, CREATED, chunks);
    }

    @Test
    void keepsAnImmutableCopyOfItsChunks() {
        List<ChunkRecord> chunks = new ArrayList<>(List.of(chunk(0), chunk(1)));
        FileRecord file = file(8, 4, 2, chunks);
        chunks.clear();
        assertThat(file.chunks()).hasSize(2);
        assertThatThrownBy(() -> file.chunks().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void emptyFileHasNoChunks() {
        assertThat(file(0, 4, 0, List.of()).chunks()).isEmpty();
        assertThatThrownBy(() -> file(0, 4, 1, List.of(chunk(0))))
                .hasMessage("file 'f.bin': chunkCount 1 does not match 0 bytes in chunks of 4 (expected 0)");
    }

    @Test
    void chunkCountIsSizeOverChunkSizeRoundedUp() {
        assertThat(file(8, 4, 2, List.of(chunk(0), chunk(1))).chunkCount()).isEqualTo(2);
        assertThat(file(9, 4, 3, List.of(chunk(0), chunk(1), chunk(2))).chunkCount()).isEqualTo(3);
        assertThatThrownBy(() -> file(9, 4, 2, List.of(chunk(0), chunk(1))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("file 'f.bin': chunkCount 2 does not match 9 bytes in chunks of 4 (expected 3)");
    }

    @Test
    void chunkCountMustMatchTheListedChunks() {
        assertThatThrownBy(() -> file(8, 4, 2, List.of(chunk(0))))
                .hasMessage("file 'f.bin': chunkCount is 2 but 1 chunks are listed");
    }

    @Test
    void chunksMustBeListedInIndexOrder() {
        assertThatThrownBy(() -> file(8, 4, 2, List.of(chunk(1), chunk(0))))
                .hasMessage("file 'f.bin': chunk at position 0 has index 1; chunks must be listed in order 0..1");
    }

    @Test
    void chunkIdsMustBeDistinct() {
        ChunkRecord first = chunk(0);
        ChunkRecord again = new ChunkRecord(1, first.id(), 32, SHA, List.of(NODE_A));
        assertThatThrownBy(() -> file(8, 4, 2, List.of(first, again)))
                .hasMessageContaining("chunk id " + first.id() + " is used twice");
    }

    @Test
    void sizesMustBeSensible() {
        assertThatThrownBy(() -> file(-1, 4, 0, List.of())).hasMessage("file 'f.bin': negative size -1");
        assertThatThrownBy(() -> file(0, 0, 0, List.of()))
                .hasMessage("file 'f.bin': chunk size 0 is not positive");
    }

    @Test
    void sha256MustBe64LowercaseHexDigits() {
        assertThatThrownBy(() -> new FileRecord("f", FileId.random(), 0, 4, 0, SHA.toUpperCase(), KEY,
                CREATED, List.of())).hasMessageContaining("is not 64 lowercase hex digits");
        assertThatThrownBy(() -> new FileRecord("f", FileId.random(), 0, 4, 0, "abc", KEY,
                CREATED, List.of())).hasMessage("file 'f': sha256 'abc' is not 64 lowercase hex digits");
    }

    @Test
    void nameMustBeAValidFileName() {
        assertThatThrownBy(() -> new FileRecord("../etc/passwd", FileId.random(), 0, 4, 0, SHA, KEY,
                CREATED, List.of())).hasMessageStartingWith("invalid file name '../etc/passwd'");
    }

    @Test
    void idAndCreationTimeAreRequired() {
        assertThatThrownBy(() -> new FileRecord("f", null, 0, 4, 0, SHA, KEY, CREATED, List.of()))
                .hasMessage("file 'f': fileId is required");
        assertThatThrownBy(() -> new FileRecord("f", FileId.random(), 0, 4, 0, SHA, KEY, null, List.of()))
                .hasMessage("file 'f': created is required");
    }

    @Test
    void wrappedKeyMustBeBase64AndIsNeverShown() {
        String notBase64 = "not base64 at all!";
        assertThatThrownBy(() -> new FileRecord("f", FileId.random(), 0, 4, 0, SHA, notBase64, CREATED,
                List.of()))
                .hasMessage("file 'f': wrappedKey is not valid base64");
        assertThatThrownBy(() -> new FileRecord("f", FileId.random(), 0, 4, 0, SHA, "", CREATED, List.of()))
                .hasMessage("file 'f': wrappedKey is required");
        assertThat(file(0, 4, 0, List.of()).toString()).doesNotContain(KEY).contains("wrappedKey=(hidden)");
    }

    @Test
    void chunkServersMustBeDistinct() {
        assertThatThrownBy(() -> new ChunkRecord(0, ChunkId.random(), 1, SHA, List.of(NODE_A, NODE_A)))
                .hasMessageContaining("name a node twice");
    }

    @Test
    void chunkMayHaveLostEveryReplica() {
        assertThat(new ChunkRecord(0, ChunkId.random(), 1, SHA, List.of()).servers()).isEmpty();
    }

    @Test
    void chunkFieldsAreChecked() {
        assertThatThrownBy(() -> new ChunkRecord(-1, ChunkId.random(), 1, SHA, List.of()))
                .hasMessage("negative chunk index -1");
        assertThatThrownBy(() -> new ChunkRecord(0, null, 1, SHA, List.of())).hasMessage("chunk 0: id is required");
        assertThatThrownBy(() -> new ChunkRecord(0, ChunkId.random(), -1, SHA, List.of()))
                .hasMessageContaining("negative size -1");
        assertThatThrownBy(() -> new ChunkRecord(0, ChunkId.random(), 1, "x", List.of()))
                .hasMessageContaining("sha256 'x' is not 64 lowercase hex digits");
        List<NodeId> withNull = new ArrayList<>();
        withNull.add(null);
        assertThatThrownBy(() -> new ChunkRecord(0, ChunkId.random(), 1, SHA, withNull))
                .hasMessageContaining("servers must be a list of node ids");
    }

    @Test
    void withServersReplacesOneChunksReplicasOnly() {
        FileRecord file = file(8, 4, 2, List.of(chunk(0), chunk(1)));
        FileRecord moved = file.withServers(1, List.of(NODE_A, NODE_C));
        assertThat(moved.chunks().get(1).servers()).containsExactly(NODE_A, NODE_C);
        assertThat(moved.chunks().get(0)).isEqualTo(file.chunks().get(0));
        assertThat(moved.chunks().get(1).id()).isEqualTo(file.chunks().get(1).id());
        assertThat(file.chunks().get(1).servers()).containsExactly(NODE_A, NODE_B);
        assertThatThrownBy(() -> file.withServers(2, List.of())).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void roundTripsThroughJson() throws Exception {
        FileRecord file = Records.file("dir/été.bin", 10);
        String json = Json.mapper().writeValueAsString(file);
        assertThat(Json.mapper().readValue(json, FileRecord.class)).isEqualTo(file);
    }

    @Test
    void jsonWithAnUnknownFieldIsRefused() throws Exception {
        String json = Json.mapper().writeValueAsString(Records.file("a", 0));
        String misspelt = json.replace("\"chunkSize\"", "\"chunk_size\":4,\"chunkSize\"");
        assertThatThrownBy(() -> Json.mapper().readValue(misspelt, FileRecord.class))
                .isInstanceOf(UnrecognizedPropertyException.class);
    }
}
