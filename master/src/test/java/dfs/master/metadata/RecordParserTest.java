package dfs.master.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dfs.common.json.Json;
import dfs.common.wire.ChunkId;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming parser against databind, the reference: the same records from what the store
 * writes, and never a different answer on anything else (it either gives the same records or
 * leaves the input to databind).
 */
class RecordParserTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static final List<FileRecord> VARIED = List.of(
            Records.file("a", 9),
            Records.file("empty", 0),
            Records.file("photos/été/\"quoted\" 😀.jpg", 4),
            big(),
            new FileRecord("t/nanos", FileId.random(), 1, 4, 1, Records.SHA, Records.KEY,
                    Instant.parse("2026-11-25T01:14:47.123456789Z"), Records.file("x", 1).chunks()),
            new FileRecord("t/millis", FileId.random(), 0, 4, 0, Records.SHA, Records.KEY,
                    Instant.parse("1970-01-01T00:00:00.001Z"), List.of()));

    /** Sizes past 32 bits, a chunk on no server, one on a single server. */
    private static FileRecord big() {
        long chunk = Integer.MAX_VALUE;
        List<ChunkRecord> chunks = List.of(
                new ChunkRecord(0, ChunkId.random(), chunk + 28, Records.SHA, List.of()),
                new ChunkRecord(1, ChunkId.random(), chunk + 28, Records.SHA, List.of(Records.NODE_C)),
                new ChunkRecord(2, ChunkId.random(), 3 + 28, Records.SHA, List.of(Records.NODE_A)));
        return new FileRecord("big", FileId.random(), 2 * chunk + 3, Integer.MAX_VALUE, 3, Records.SHA, Records.KEY,
                Records.CREATED, chunks);
    }

    private static List<FileRecord> snapshot(byte[] json) throws IOException {
        return RecordParser.snapshot(new ByteArrayInputStream(json));
    }

    private static List<FileSummary> summaries(byte[] json) throws IOException {
        return RecordParser.summaries(new ByteArrayInputStream(json));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The files databind reads from a snapshot, or why it does not. */
    private static Object databindSnapshot(byte[] json) {
        try {
            SnapshotFile.Contents c = Json.mapper().readValue(json, SnapshotFile.Contents.class);
            return c.format() == SnapshotFile.FORMAT ? c.files() : "another format";
        } catch (IOException | RuntimeException e) {
            return e;
        }
    }

    private static Object databindEntry(byte[] line) {
        try {
            JournalEntry entry = Json.mapper().readValue(line, JournalEntry.class);
            return entry == null ? "null" : entry;
        } catch (IOException | RuntimeException e) {
            return e;
        }
    }

    @Test
    void snapshotsTheStoreWritesReadAsDatabindReadsThem() throws Exception {
        List<FileRecord> parsed = snapshot(SnapshotFile.serialize(VARIED));
        assertThat(parsed).isNotNull().containsExactlyInAnyOrderElementsOf(VARIED);
        assertThat(parsed).isEqualTo(databindSnapshot(SnapshotFile.serialize(VARIED)));
    }

    @Test
    void theCheckedInSnapshotReadsWithoutDatabind() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("golden-snapshot.json")) {
            byte[] golden = in.readAllBytes();
            assertThat(snapshot(golden)).isNotNull().isEqualTo(databindSnapshot(golden));
        }
    }

    @Test
    void compactSnapshotsAndAnyFieldOrderReadToo() throws Exception {
        String compact = "{\"files\":" + Json.mapper().writeValueAsString(VARIED) + ",\"format\":1}";
        assertThat(snapshot(utf8(compact))).isNotNull().isEqualTo(databindSnapshot(utf8(compact)));
        assertThat(snapshot(utf8("{\"format\":1,\"files\":[]}"))).isEmpty();
    }

    @Test
    void summariesSayWhatTheRecordsSay() throws Exception {
        List<FileSummary> expected = VARIED.stream().map(FileRecord::summary).toList();
        assertThat(summaries(SnapshotFile.serialize(VARIED))).isNotNull().containsExactlyInAnyOrderElementsOf(expected)
                .isEqualTo(snapshot(SnapshotFile.serialize(VARIED)).stream().map(FileRecord::summary).toList());
        String compact = "{\"files\":" + Json.mapper().writeValueAsString(VARIED) + ",\"format\":1}";
        assertThat(summaries(utf8(compact))).isEqualTo(expected);
        try (InputStream in = getClass().getResourceAsStream("golden-snapshot.json")) {
            byte[] golden = in.readAllBytes();
            assertThat(summaries(golden)).isNotNull().isEqualTo(snapshot(golden).stream().map(FileRecord::summary).toList());
        }
    }

    @Test
    void summariesCheckTheShapeOfWhatTheySkipAndReadTheRestAsRecordsDo() throws Exception {
        int refused = 0;
        for (String line : damaged()) {
            if (!line.startsWith("{\"op\":\"put\",\"file\":") || !line.endsWith("}")) {
                continue;
            }
            String file = line.substring("{\"op\":\"put\",\"file\":".length(), line.length() - 1);
            byte[] snapshot = utf8("{\"format\":1,\"files\":[" + file + "]}");
            List<FileSummary> light = summaries(snapshot);
            List<FileRecord> whole = snapshot(snapshot);
            if (light == null) {
                refused++;
            } else if (whole != null) {
                assertThat(light).as(file).isEqualTo(whole.stream().map(FileRecord::summary).toList());
            }
        }
        assertThat(refused).as("damaged snapshots left to the whole read").isPositive();
        for (String odd : List.of("{\"format\":2,\"files\":[]}", "{\"files\":[]}", "{\"format\":1}",
                "{\"format\":1,\"files\":[]} []", "{\"format\":1,\"files\":[null]}",
                "{\"format\":1,\"files\":[{\"name\":\"a\"}]}",
                "{\"format\":1,\"files\":[" + Json.mapper().writeValueAsString(Records.file("empty", 0))
                        .replace("\"chunks\":[]", "\"chunks\":{}") + "]}")) {
            assertThat(summaries(utf8(odd))).as(odd).isNull();
        }
    }

    @Test
    void journalLinesTheStoreWritesReadAsDatabindReadsThem() throws Exception {
        List<JournalEntry> entries = new ArrayList<>();
        VARIED.forEach(f -> entries.add(JournalEntry.put(f)));
        entries.add(JournalEntry.remove("photos/été/\"quoted\" 😀.jpg"));
        entries.add(JournalEntry.rename("old/name", VARIED.get(0)));
        entries.add(JournalEntry.line(List.copyOf(entries)));
        for (JournalEntry entry : entries) {
            byte[] line = Json.mapper().writeValueAsBytes(entry);
            assertThat(RecordParser.journalEntry(line)).isEqualTo(entry).isEqualTo(databindEntry(line));
        }
    }

    @Test
    void timesReadAsInstantParseReadsThem() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        List<String> times = new ArrayList<>(List.of("0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z",
                "2024-02-29T12:00:00Z", "2024-05-01T12:00:00.1Z", "2024-05-01T12:00:00.12Z",
                "2024-05-01T12:00:00.1234Z", "2024-05-01T12:00:00.12345678Z"));
        for (int i = 0; i < 10_000; i++) {
            long second = random.nextLong(Instant.parse("9999-12-31T23:59:59Z").getEpochSecond()
                    - Instant.parse("0000-01-01T00:00:00Z").getEpochSecond()) + Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            times.add(Instant.ofEpochSecond(second, nanos).toString());
        }
        for (String t : times) {
            assertThat(RecordParser.instant(t)).as("%s (seed %d)", t, seed).isEqualTo(Instant.parse(t));
        }
    }

    @Test
    void timesInAnyOtherFormAreLeftToDatabind() {
        for (String t : List.of("2024-05-01T12:00:00", "2024-05-01T12:00:00z", "2024-05-01T12:00:00.Z",
                "2024-05-01T12:00:00.1234567890Z", "2024-05-01T12:00:00+00:00", "2024-05-01 12:00:00Z",
                "+12024-05-01T12:00:00Z", "-0001-05-01T12:00:00Z", "2024-02-30T12:00:00Z", "2023-02-29T12:00:00Z",
                "2024-13-01T12:00:00Z", "2024-05-01T24:00:00Z", "2024-05-01T12:60:00Z", "2024-05-01T23:59:60Z",
                "2024-05-01T12:00:0xZ", " 2024-05-01T12:00:00Z", "1714564800000", "")) {
            assertThatThrownBy(() -> RecordParser.instant(t)).as(t).isNotInstanceOf(RuntimeException.class);
        }
    }

    /** A journal line of a two-chunk file, as a tree to damage. */
    private static ObjectNode entryTree() {
        FileRecord f = Records.file("dir/f.bin", 7);
        return Json.mapper().valueToTree(JournalEntry.put(f));
    }

    private static List<JsonNode> oddValues() {
        return List.of(NODES.nullNode(), NODES.textNode("7"), NODES.numberNode(7), NODES.numberNode(-1),
                NODES.numberNode(7.0), NODES.numberNode(7.5), NODES.numberNode(2_147_483_648L),
                NODES.numberNode(new java.math.BigInteger("92233720368547758080")), NODES.booleanNode(true),
                NODES.arrayNode(), NODES.objectNode(), NODES.textNode(""), NODES.textNode("2024-05-01T12:00:00+01:00"));
    }

    /** The line of {@link #entryTree()} with one thing wrong each: a field missing, of another type, twice... */
    private static List<String> damaged() throws Exception {
        List<String> lines = new ArrayList<>();
        for (String path : List.of("", "/file", "/file/chunks/0", "/file/chunks/1")) {
            ObjectNode tree = entryTree();
            List<String> names = new ArrayList<>();
            tree.at(path).fieldNames().forEachRemaining(names::add);
            names.add("unknown");
            for (String name : names) {
                ObjectNode removed = entryTree();
                ((ObjectNode) removed.at(path)).remove(name);
                lines.add(removed.toString());
                for (JsonNode value : oddValues()) {
                    ObjectNode changed = entryTree();
                    ((ObjectNode) changed.at(path)).set(name, value);
                    lines.add(changed.toString());
                }
            }
        }
        ObjectNode servers = entryTree();
        ((ArrayNode) servers.at("/file/chunks/0/servers")).add(NODES.nullNode());
        lines.add(servers.toString());
        ObjectNode nullChunk = entryTree();
        ((ArrayNode) nullChunk.at("/file/chunks")).add(NODES.nullNode());
        lines.add(nullChunk.toString());
        String good = entryTree().toString();
        lines.add(good.replace("{\"name\"", "{\"size\":7,\"name\""));   // a field twice, the last as before
        lines.add(good.replace("{\"name\"", "{\"size\":3,\"name\""));   // a field twice, the last differs
        lines.add(good.replace("{\"op\"", "{\"op\":\"remove\",\"op\""));
        lines.add(good + " {}");
        lines.add(good + " x");
        lines.add(good.substring(0, good.length() - 1));
        lines.add("null");
        lines.add("[]");
        lines.add("");
        return lines;
    }

    @Test
    void damagedJournalLinesAreReadAsDatabindReadsThemOrLeftToIt() throws Exception {
        int leftToDatabind = 0;
        List<String> lines = damaged();
        for (String line : lines) {
            JournalEntry fast = RecordParser.journalEntry(utf8(line));
            if (fast == null) {
                leftToDatabind++;
            } else {
                assertThat(databindEntry(utf8(line))).as(line).isEqualTo(fast);
            }
        }
        assertThat(leftToDatabind).as("damaged lines left to databind").isGreaterThan(lines.size() / 2);
        assertThat(RecordParser.journalEntry(utf8(entryTree().toString()))).isNotNull();
    }

    @Test
    void damagedSnapshotsAreReadAsDatabindReadsThemOrLeftToIt() throws Exception {
        int leftToDatabind = 0;
        List<String> lines = damaged();
        for (String line : lines) {
            if (!line.startsWith("{\"op\":\"put\",\"file\":") || !line.endsWith("}")) {
                continue;
            }
            String file = line.substring("{\"op\":\"put\",\"file\":".length(), line.length() - 1);
            byte[] snapshot = utf8("{\"format\":1,\"files\":[" + file + "]}");
            List<FileRecord> fast = snapshot(snapshot);
            if (fast == null) {
                leftToDatabind++;
            } else {
                assertThat(databindSnapshot(snapshot)).as(file).isEqualTo(fast);
            }
        }
        assertThat(leftToDatabind).isPositive();
        for (String odd : List.of("{\"format\":2,\"files\":[]}", "{\"files\":[]}", "{\"format\":1}",
                "{\"format\":1,\"files\":[]} []",
                "{\"format\":1,\"format\":1,\"files\":[]}", "{\"format\":1,\"files\":[null]}",
                "{\"format\":1,\"files\":null}", "{\"format\":\"1\",\"files\":[]}")) {
            assertThat(snapshot(utf8(odd))).as(odd).isNull();
        }
    }

    @Test
    void aDamagedSnapshotIsStillExplainedInOneLineNamingTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("metadata_uploaded.json");
        String snapshot = new String(SnapshotFile.serialize(List.of(Records.file("a", 9))), StandardCharsets.UTF_8);
        Files.writeString(file, snapshot.replace("\"size\": 9", "\"size\": \"nine\""));
        assertThatThrownBy(() -> SnapshotFile.read(file))
                .isInstanceOf(CorruptMetadataException.class)
                .hasMessageStartingWith("corrupt metadata in " + file + " at line 7: ")
                .hasMessageContaining("nine")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aDamagedJournalLineIsStillExplainedInOneLineNamingTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("metadata_uploaded.json");
        Path journal = dir.resolve("metadata_uploaded.json.journal");
        String good = Json.mapper().writeValueAsString(JournalEntry.put(Records.file("a", 9))) + "\n";
        Files.writeString(journal, good + good.replace("\"chunkSize\":4", "\"chunkSize\":\"4x\"") + good);
        assertThatThrownBy(() -> MetadataStore.open(file).close())
                .isInstanceOf(CorruptMetadataException.class)
                .hasMessageStartingWith("corrupt metadata in " + journal + " at line 2: ")
                .hasMessageContaining("4x")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
