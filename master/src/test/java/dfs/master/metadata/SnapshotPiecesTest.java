package dfs.master.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dfs.common.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A snapshot read in pieces gives what one piece gives, wherever the cuts fall. */
class SnapshotPiecesTest {
    private static List<FileRecord> files(int n) {
        List<FileRecord> files = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            files.add(Records.file(String.format("dir/%03d.bin", i), i % 13));
        }
        return files;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<FileRecord> concatenated(List<List<FileRecord>> pieces) {
        List<FileRecord> all = new ArrayList<>();
        pieces.forEach(all::addAll);
        return all;
    }

    @Test
    void aSnapshotTheStoreWroteIsCutBetweenRecordsAndReadsWholeInPieces() throws Exception {
        List<FileRecord> files = files(50);
        byte[] json = SnapshotFile.serialize(files);
        List<Integer> starts = SnapshotPieces.starts(json, 5);
        assertThat(starts).hasSize(5).startsWith(0).isSorted().doesNotHaveDuplicates();
        for (int start : starts.subList(1, 5)) {
            assertThat(new String(json, start - 7, 8, StandardCharsets.UTF_8)).isEqualTo("},\n    {");
        }
        List<List<FileRecord>> pieces = SnapshotPieces.readPieces(json, starts);
        assertThat(pieces).hasSize(5).allSatisfy(p -> assertThat(p).isNotEmpty());
        assertThat(concatenated(pieces)).isEqualTo(files).isEqualTo(RecordParser.snapshot(json));
        assertThat(SnapshotPieces.read(json, 5).values()).containsExactlyElementsOf(files);
    }

    @Test
    void aSnapshotWithoutCutsIsOnePiece() throws Exception {
        List<FileRecord> files = files(20);
        byte[] compact = utf8("{\"format\":1,\"files\":" + Json.mapper().writeValueAsString(files) + "}");
        assertThat(SnapshotPieces.starts(compact, 4)).containsExactly(0);
        assertThat(SnapshotPieces.read(compact, 4).values()).containsExactlyElementsOf(files);
    }

    @Test
    void cutsThatFallInsideARecordAreNotTrusted() throws Exception {
        // the pattern between the chunks of each file, as a hand edit could leave it
        List<FileRecord> files = files(20);
        String compact = "{\"format\":1,\"files\":" + Json.mapper().writeValueAsString(files) + "}";
        byte[] json = utf8(compact.replace("]},{\"index\"", "]},\n    {\"index\""));
        List<Integer> starts = SnapshotPieces.starts(json, 4);
        assertThat(starts).hasSize(4);
        assertThat(SnapshotPieces.readPieces(json, starts)).isNull();
        assertThat(SnapshotPieces.read(json, 4).values()).containsExactlyElementsOf(files);
    }

    @Test
    void aFormatAfterTheFilesIsReadInOnePiece() throws Exception {
        List<FileRecord> files = files(30);
        String pretty = new String(SnapshotFile.serialize(files), StandardCharsets.UTF_8);
        byte[] json = utf8(pretty.replace("\"format\": 1,\n", "").replaceFirst("\\]\n}\n$", "],\n  \"format\": 1\n}\n"));
        List<Integer> starts = SnapshotPieces.starts(json, 3);
        assertThat(starts).hasSize(3);
        assertThat(SnapshotPieces.readPieces(json, starts)).isNull();
        assertThat(SnapshotPieces.read(json, 3).values()).containsExactlyElementsOf(files);
    }

    @Test
    void namesOutOfOrderAreSortedAndANameTwiceIsLeftToDatabind(@TempDir Path dir) throws Exception {
        List<FileRecord> files = files(30);
        List<FileRecord> shuffled = new ArrayList<>(files.subList(15, 30));
        shuffled.addAll(files.subList(0, 15));
        assertThat(SnapshotPieces.byName(List.of(shuffled.subList(0, 10), shuffled.subList(10, 30))).values())
                .containsExactlyElementsOf(files);

        // one cut, before a second copy of the first file: each piece holds one
        String records = Json.mapper().writeValueAsString(files);
        String twin = Json.mapper().writeValueAsString(Records.file("dir/000.bin", 3));
        byte[] json = utf8("{\"format\":1,\"files\":" + records.substring(0, records.length() - 1)
                + ",\n    " + twin + "]}");
        List<Integer> starts = SnapshotPieces.starts(json, 2);
        assertThat(starts).hasSize(2);
        assertThat(SnapshotPieces.readPieces(json, starts)).hasSize(2);
        assertThat(SnapshotPieces.read(json, 2)).isNull();
        Path file = dir.resolve("metadata_uploaded.json");
        Files.write(file, json);
        assertThatThrownBy(() -> SnapshotFile.read(file, 2)).hasMessageContaining("file 'dir/000.bin' is listed twice");
    }
}
