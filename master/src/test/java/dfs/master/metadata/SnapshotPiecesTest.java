package dfs.master.metadata;

import static dfs.master.metadata.SnapshotPieces.RECORDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dfs.common.json.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A snapshot read in pieces gives what one piece gives, wherever the cuts fall. */
class SnapshotPiecesTest {
    @TempDir
    Path dir;

    /** {@code json} as a file, opened for reading; closed with the test's folder. */
    private FileChannel file(byte[] json) throws IOException {
        Path file = Files.write(Files.createTempFile(dir, "snapshot", ".json"), json);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        opened.add(channel);
        return channel;
    }

    private final List<FileChannel> opened = new ArrayList<>();

    @AfterEach
    void close() throws IOException {
        for (FileChannel c : opened) {
            c.close();
        }
    }

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
        List<Long> starts = SnapshotPieces.starts(file(json), 5);
        assertThat(starts).hasSize(5).startsWith(0L).isSorted().doesNotHaveDuplicates();
        for (long start : starts.subList(1, 5)) {
            assertThat(new String(json, (int) start - 7, 8, StandardCharsets.UTF_8)).isEqualTo("},\n    {");
        }
        List<List<FileRecord>> pieces = SnapshotPieces.readPieces(file(json), starts, RECORDS);
        assertThat(pieces).hasSize(5).allSatisfy(p -> assertThat(p).isNotEmpty());
        assertThat(concatenated(pieces)).isEqualTo(files)
                .isEqualTo(RecordParser.snapshot(new ByteArrayInputStream(json)));
        assertThat(SnapshotPieces.read(file(json), 5, RECORDS).values()).containsExactlyElementsOf(files);
        assertThat(SnapshotPieces.read(file(json), 5, SnapshotPieces.SUMMARIES).values())
                .containsExactlyElementsOf(files.stream().map(FileRecord::summary).toList());
    }

    @Test
    void cutsAreFoundAcrossReadWindowsAndPastRecordsLargerThanOne() throws Exception {
        List<FileRecord> files = new ArrayList<>(files(3));
        files.add(Records.file("dir/100-many-chunks.bin", 4 * 400)); // its JSON spans two windows
        files.addAll(files(3).stream().map(f -> Records.file(f.name().replace("dir/", "dir/2"), 5)).toList());
        byte[] json = SnapshotFile.serialize(files);
        String text = new String(json, StandardCharsets.US_ASCII);
        int big = text.indexOf("dir/100-many-chunks.bin");
        int afterBig = text.indexOf("},\n    {", big);
        assertThat(afterBig - big).isGreaterThan(SnapshotPieces.WINDOW);
        assertThat(SnapshotPieces.nextCut(file(json), big)).isEqualTo(afterBig);
        // the cut straddles the end of the first window read
        assertThat(SnapshotPieces.nextCut(file(json), afterBig - SnapshotPieces.WINDOW + 4)).isEqualTo(afterBig);
        assertThat(SnapshotPieces.nextCut(file(json), text.lastIndexOf("},\n    {") + 1)).isEqualTo(-1);
        List<Long> starts = SnapshotPieces.starts(file(json), 2);
        assertThat(starts).containsExactly(0L, afterBig + 7L);
        assertThat(concatenated(SnapshotPieces.readPieces(file(json), starts, RECORDS))).isEqualTo(files);
    }

    @Test
    void aSnapshotWithoutCutsIsOnePiece() throws Exception {
        List<FileRecord> files = files(20);
        byte[] compact = utf8("{\"format\":1,\"files\":" + Json.mapper().writeValueAsString(files) + "}");
        assertThat(SnapshotPieces.starts(file(compact), 4)).containsExactly(0L);
        assertThat(SnapshotPieces.read(file(compact), 4, RECORDS).values()).containsExactlyElementsOf(files);
    }

    @Test
    void cutsThatFallInsideARecordAreNotTrusted() throws Exception {
        // the pattern between the chunks of each file, as a hand edit could leave it
        List<FileRecord> files = files(20);
        String compact = "{\"format\":1,\"files\":" + Json.mapper().writeValueAsString(files) + "}";
        assertPiecesDoNotReadButTheWholeDoes(utf8(compact.replace("]},{\"index\"", "]},\n    {\"index\"")), 4, files);
    }

    @Test
    void aFormatAfterTheFilesIsReadInOnePiece() throws Exception {
        List<FileRecord> files = files(30);
        String pretty = new String(SnapshotFile.serialize(files), StandardCharsets.UTF_8);
        byte[] json = utf8(pretty.replace("\"format\": 1,\n", "").replaceFirst("\\]\n}\n$", "],\n  \"format\": 1\n}\n"));
        assertPiecesDoNotReadButTheWholeDoes(json, 3, files);
    }

    /** {@code json} is cut into {@code pieces} that do not all read, and still reads as {@code files}. */
    private void assertPiecesDoNotReadButTheWholeDoes(byte[] json, int pieces, List<FileRecord> files) throws IOException {
        List<Long> starts = SnapshotPieces.starts(file(json), pieces);
        assertThat(starts).hasSize(pieces);
        assertThat(SnapshotPieces.readPieces(file(json), starts, RECORDS)).isNull();
        assertThat(SnapshotPieces.read(file(json), pieces, RECORDS).values()).containsExactlyElementsOf(files);
    }

    @Test
    void namesOutOfOrderAreSortedAndANameTwiceIsLeftToDatabind() throws Exception {
        List<FileRecord> files = files(30);
        List<FileRecord> shuffled = new ArrayList<>(files.subList(15, 30));
        shuffled.addAll(files.subList(0, 15));
        assertThat(SnapshotPieces.byName(List.of(shuffled.subList(0, 10), shuffled.subList(10, 30)), FileRecord::name)
                .values()).containsExactlyElementsOf(files);

        // one cut, before a second copy of the first file: each piece holds one
        String records = Json.mapper().writeValueAsString(files);
        String twin = Json.mapper().writeValueAsString(Records.file("dir/000.bin", 3));
        byte[] json = utf8("{\"format\":1,\"files\":" + records.substring(0, records.length() - 1)
                + ",\n    " + twin + "]}");
        List<Long> starts = SnapshotPieces.starts(file(json), 2);
        assertThat(starts).hasSize(2);
        assertThat(SnapshotPieces.readPieces(file(json), starts, RECORDS)).hasSize(2);
        assertThat(SnapshotPieces.read(file(json), 2, RECORDS)).isNull();
        Path file = dir.resolve("metadata_uploaded.json");
        Files.write(file, json);
        assertThatThrownBy(() -> SnapshotFile.summaries(file, 2))
                .hasMessageContaining("file 'dir/000.bin' is listed twice");
    }
}
