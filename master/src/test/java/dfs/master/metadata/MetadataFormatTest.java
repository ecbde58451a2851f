package dfs.master.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import dfs.common.json.Json;
import dfs.common.wire.ChunkId;
import dfs.common.wire.NodeId;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Freezes the on-disk format: these records must serialize to exactly the checked-in files, and
 * the checked-in files must load back to these records. A failure here means old metadata files
 * would no longer load (or new ones would not load in old versions): bump the format instead.
 */
class MetadataFormatTest {
    private static final NodeId A = NodeId.parse("00000000000000aa");
    private static final NodeId B = NodeId.parse("00000000000000bb");
    private static final NodeId C = NodeId.parse("00000000000000cc");
    private static final String HASH_1 = "1111111111111111111111111111111111111111111111111111111111111111";
    private static final String HASH_2 = "2222222222222222222222222222222222222222222222222222222222222222";
    private static final String HASH_3 = "3333333333333333333333333333333333333333333333333333333333333333";
    private static final String HASH_F = "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";

    static final FileRecord REPORT = new FileRecord("docs/report.pdf",
            FileId.parse("0123456789abcdef0123456789abcdef"), 10, 4, 3, HASH_F,
            "AAECAwQFBgcICQoLDA0ODw==", Instant.parse("2024-05-01T12:00:00Z"), List.of(
                    new ChunkRecord(0, ChunkId.parse("c0000000000000000000000000000000"), 32, HASH_1, List.of(A, B)),
                    new ChunkRecord(1, ChunkId.parse("c1111111111111111111111111111111"), 32, HASH_2, List.of(B, C)),
                    new ChunkRecord(2, ChunkId.parse("c2222222222222222222222222222222"), 30, HASH_3, List.of())));
    static final FileRecord EMPTY = new FileRecord("empty.txt",
            FileId.parse("fedcba9876543210fedcba9876543210"), 0, 4, 0, HASH_F,
            "EBESExQVFhcYGRobHB0eHw==", Instant.parse("2024-05-01T12:00:01Z"), List.of());
    static final FileRecord PHOTO = new FileRecord("photos/été.jpg",
            FileId.parse("00112233445566778899aabbccddeeff"), 4, 4, 1, HASH_F,
            "ICEiIyQlJicoKSorLC0uLw==", Instant.parse("2024-05-02T08:30:15.123456789Z"), List.of(
                    new ChunkRecord(0, ChunkId.parse("dddddddddddddddddddddddddddddddd"), 32, HASH_1, List.of(C, A))));

    private static String resource(String name) throws IOException {
        try (InputStream in = MetadataFormatTest.class.getResourceAsStream(name)) {
            assertThat(in).as("test resource %s", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void snapshotIsSortedPrettyJsonExactlyAsCheckedIn() throws Exception {
        byte[] written = SnapshotFile.serialize(List.of(PHOTO, REPORT, EMPTY));
        assertThat(new String(written, StandardCharsets.UTF_8)).isEqualTo(resource("golden-snapshot.json"));
    }

    @Test
    void checkedInSnapshotLoadsBackToTheSameRecords(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("metadata_uploaded.json");
        Files.writeString(file, resource("golden-snapshot.json"));
        assertThat(SnapshotFile.read(file).values()).containsExactly(REPORT, EMPTY, PHOTO);
    }

    @Test
    void journalLinesAreCompactJsonExactlyAsCheckedIn() throws Exception {
        String lines = Json.mapper().writeValueAsString(JournalEntry.put(EMPTY)) + "\n"
                + Json.mapper().writeValueAsString(JournalEntry.remove("docs/report.pdf")) + "\n"
                + Json.mapper().writeValueAsString(JournalEntry.line(List.of(
                        JournalEntry.rename(PHOTO.name(), PHOTO.withName("pictures/été.jpg")),
                        JournalEntry.put(REPORT)))) + "\n";
        assertThat(lines).isEqualTo(resource("golden-journal.jsonl"));
    }

    @Test
    void checkedInSnapshotAndJournalOpenAsOneStore(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("metadata_uploaded.json");
        Files.writeString(file, resource("golden-snapshot.json"));
        Files.writeString(dir.resolve("metadata_uploaded.json.journal"), resource("golden-journal.jsonl"));
        try (MetadataStore store = MetadataStore.open(file)) {
            assertThat(store.list()).containsExactly(REPORT, EMPTY, PHOTO.withName("pictures/été.jpg"));
        }
    }
}
