package dfs.master.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dfs.common.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading what a crash, a full disk or a damaged file leaves behind. */
class MetadataRecoveryTest {
    @TempDir
    Path dir;

    private Path file;
    private Path journal;
    private final FileRecord a = Records.file("a", 9);
    private final FileRecord b = Records.file("b", 5);
    private final FileRecord c = Records.file("c", 1);

    @BeforeEach
    void paths() {
        file = dir.resolve("metadata_uploaded.json");
        journal = dir.resolve("metadata_uploaded.json.journal");
    }

    private static String line(JournalEntry entry) throws Exception {
        return Json.mapper().writeValueAsString(entry) + "\n";
    }

    private List<FileRecord> load() throws Exception {
        try (MetadataStore store = MetadataStore.open(file)) {
            return store.list();
        }
    }

    @Test
    void journalWithoutSnapshotIsReplayed() throws Exception {
        Files.writeString(journal, line(JournalEntry.put(a)) + line(JournalEntry.put(b))
                + line(JournalEntry.remove("a")));
        assertThat(load()).containsExactly(b);
    }

    @Test
    void tornLastLineIsDroppedAndEverythingBeforeItKept() throws Exception {
        String good = line(JournalEntry.put(a)) + line(JournalEntry.put(b));
        String torn = line(JournalEntry.put(c));
        Files.writeString(journal, good + torn.substring(0, torn.length() / 2));
        try (MetadataStore store = MetadataStore.open(file)) {
            assertThat(store.list()).containsExactly(a, b);
            assertThat(Files.readString(journal)).isEqualTo(good); // truncated away
            store.put(c); // appends after the good lines, not after the tear
            assertThat(Files.readString(journal)).isEqualTo(good + torn);
        }
        assertThat(load()).containsExactly(a, b, c);
    }

    @Test
    void completeLastLineWithoutItsNewlineWasNeverAcknowledgedAndIsDropped() throws Exception {
        String torn = line(JournalEntry.put(b));
        Files.writeString(journal, line(JournalEntry.put(a)) + torn.substring(0, torn.length() - 1));
        assertThat(load()).containsExactly(a);
    }

    @Test
    void zeroFilledLastLineLeftByACrashIsDropped() throws Exception {
        byte[] good = line(JournalEntry.put(a)).getBytes(StandardCharsets.UTF_8);
        byte[] withZeros = new byte[good.length + 100];
        System.arraycopy(good, 0, withZeros, 0, good.length);
        withZeros[withZeros.length - 1] = '\n';
        Files.write(journal, withZeros);
        try (MetadataStore store = MetadataStore.open(file)) {
            assertThat(store.list()).containsExactly(a);
            assertThat(Files.size(journal)).isEqualTo(good.length);
        }
    }

    @Test
    void corruptLineInTheMiddleIsAnErrorNamingFileAndLine() throws Exception {
        String content = line(JournalEntry.put(a)) + "{\"op\":\"put\",\"fi\n" + line(JournalEntry.put(b));
        Files.writeString(journal, content);
        assertThatThrownBy(this::load)
                .isInstanceOf(CorruptMetadataException.class)
                .hasMessageStartingWith("corrupt metadata in " + journal + " at line 2: ")
                .hasMessageContaining("restore the file from a backup or repair that line")
                .satisfies(e -> assertThat(((CorruptMetadataException) e).line()).isEqualTo(2));
        assertThat(Files.readString(journal)).isEqualTo(content); // nothing dropped
    }

    @Test
    void emptyLineInTheMiddleIsCorruption() throws Exception {
        Files.writeString(journal, line(JournalEntry.put(a)) + "\n" + line(JournalEntry.put(b)));
        assertThatThrownBy(this::load).hasMessageStartingWith("corrupt metadata in " + journal + " at line 2: empty line");
    }

    @Test
    void wellFormedButInvalidLastEntryIsCorruptionNotATear() throws Exception {
        String bad = line(JournalEntry.put(b)).replace("\"chunkCount\":2", "\"chunkCount\":7");
        Files.writeString(journal, line(JournalEntry.put(a)) + bad);
        assertThatThrownBy(this::load)
                .isInstanceOf(CorruptMetadataException.class)
                .hasMessageContaining(journal + " at line 2: file 'b': chunkCount 7 does not match");
    }

    @Test
    void unknownOperationIsCorruption() throws Exception {
        Files.writeString(journal, "{\"op\":\"truncate\",\"name\":\"a\"}\n" + line(JournalEntry.put(a)));
        assertThatThrownBy(this::load).hasMessageContaining("at line 1: unknown op 'truncate'");
    }

    @Test
    void aRenameWithoutTheFileItMovesIsCorruption() throws Exception {
        Files.writeString(journal, line(JournalEntry.put(a)) + "{\"op\":\"rename\",\"name\":\"a\"}\n"
                + line(JournalEntry.put(b)));
        assertThatThrownBy(this::load).isInstanceOf(CorruptMetadataException.class)
                .hasMessageContaining("at line 2: a rename entry has a file and the name it leaves");
    }

    @Test
    void aBatchLineAppliesItsChangesInOrder() throws Exception {
        Files.writeString(journal, line(JournalEntry.put(a)) + line(JournalEntry.line(List.of(
                JournalEntry.rename("a", a.withName("moved/a")), JournalEntry.put(b), JournalEntry.remove("b"),
                JournalEntry.put(c)))));
        assertThat(load()).containsExactly(c, a.withName("moved/a"));
    }

    @Test
    void aBatchLineTornOrZeroFilledByACrashIsDroppedWhole() throws Exception {
        // a line's pages may reach the disk in any order before its force: a tear can be anywhere in it
        String good = line(JournalEntry.put(a));
        byte[] batch = line(JournalEntry.line(List.of(JournalEntry.remove("a"), JournalEntry.put(b),
                JournalEntry.put(c)))).getBytes(StandardCharsets.UTF_8);
        byte[] holed = batch.clone();
        java.util.Arrays.fill(holed, 20, batch.length / 2, (byte) 0);
        for (byte[] torn : List.of(java.util.Arrays.copyOf(batch, batch.length / 2), holed)) {
            Files.write(journal, (good + new String(torn, StandardCharsets.ISO_8859_1))
                    .getBytes(StandardCharsets.ISO_8859_1));
            assertThat(load()).containsExactly(a);
        }
    }

    @Test
    void aBatchInsideABatchOrAnEmptyBatchIsCorruption() throws Exception {
        String inner = line(JournalEntry.line(List.of(JournalEntry.put(a), JournalEntry.put(b)))).strip();
        Files.writeString(journal, "{\"op\":\"batch\",\"entries\":[" + inner + "]}\n" + line(JournalEntry.put(c)));
        assertThatThrownBy(this::load).isInstanceOf(CorruptMetadataException.class)
                .hasMessageContaining("at line 1: a batch entry holds no batch");
        Files.writeString(journal, "{\"op\":\"batch\",\"entries\":[]}\n" + line(JournalEntry.put(c)));
        assertThatThrownBy(this::load).isInstanceOf(CorruptMetadataException.class)
                .hasMessageContaining("at line 1: a batch entry has entries and no file or name");
    }

    @Test
    void corruptSnapshotIsAnErrorNamingFileAndLine() throws Exception {
        String snapshot = new String(SnapshotFile.serialize(List.of(a, b)), StandardCharsets.UTF_8);
        Files.writeString(file, snapshot.replaceFirst("\"chunkSize\"", "chunkSize"));
        assertThatThrownBy(this::load)
                .isInstanceOf(CorruptMetadataException.class)
                .hasMessageStartingWith("corrupt metadata in " + file + " at line 8: ");
    }

    @Test
    void truncatedSnapshotIsAnError() throws Exception {
        String snapshot = new String(SnapshotFile.serialize(List.of(a, b)), StandardCharsets.UTF_8);
        Files.writeString(file, snapshot.substring(0, snapshot.length() / 2));
        assertThatThrownBy(this::load).isInstanceOf(CorruptMetadataException.class)
                .hasMessageContaining("corrupt metadata in " + file);
    }

    @Test
    void emptySnapshotIsAnError() throws Exception {
        Files.writeString(file, "");
        assertThatThrownBy(this::load).isInstanceOf(CorruptMetadataException.class)
                .hasMessageStartingWith("corrupt metadata in " + file + ": the file is empty");
    }

    @Test
    void snapshotListingANameTwiceIsAnError() throws Exception {
        String one = new String(SnapshotFile.serialize(List.of(a)), StandardCharsets.UTF_8);
        String record = Json.mapper().writeValueAsString(a);
        Files.writeString(file, "{\"format\":1,\"files\":[" + record + "," + record + "]}");
        assertThat(one).contains("\"format\": 1");
        assertThatThrownBy(this::load).hasMessageContaining("file 'a' is listed twice");
    }

    @Test
    void snapshotOfAnotherFormatIsRefused() throws Exception {
        Files.writeString(file, "{\"format\":2,\"files\":[]}");
        assertThatThrownBy(this::load)
                .hasMessage("metadata snapshot " + file + " has format 2, but this dfs reads format 1;"
                        + " use the dfs version that wrote it");
    }

    /*
     * Compaction is: (1) write the new snapshot to a temporary file and rename it over the old one,
     * (2) empty the journal. Each test below lays out the files as a crash at one point leaves
     * them, starting from snapshot {a, b} and journal [put c, remove a, put b'].
     */

    private final FileRecord newB = Records.file("b", 2);

    private void layOut(List<FileRecord> snapshot, boolean journalEmptied) throws Exception {
        Files.write(file, SnapshotFile.serialize(snapshot));
        Files.writeString(journal, journalEmptied ? "" : line(JournalEntry.put(c))
                + line(JournalEntry.remove("a")) + line(JournalEntry.put(newB)));
    }

    @Test
    void crashWhileWritingTheNewSnapshotKeepsOldSnapshotAndJournal() throws Exception {
        layOut(List.of(a, b), false);
        Path abandoned = dir.resolve(".metadata_uploaded.json.8123456.tmp");
        Files.writeString(abandoned, "{\"format\":1,\"fi");
        assertThat(load()).containsExactly(newB, c);
        assertThat(abandoned).doesNotExist();
    }

    @Test
    void crashAfterTheSnapshotRenameReplaysTheOldJournalOverItHarmlessly() throws Exception {
        layOut(List.of(newB, c), false);
        assertThat(load()).containsExactly(newB, c);
    }

    @Test
    void crashAfterTheJournalIsEmptiedLoadsTheNewSnapshot() throws Exception {
        layOut(List.of(newB, c), true);
        assertThat(load()).containsExactly(newB, c);
    }

    @Test
    void noCrashLoadsTheSame() throws Exception {
        layOut(List.of(a, b), false);
        try (MetadataStore store = MetadataStore.open(file, 1)) {
            assertThat(store.list()).containsExactly(newB, c);
        }
        // open compacted straight away (threshold 1 byte) and close found nothing more to do
        assertThat(journal).isEmptyFile();
        assertThat(SnapshotFile.read(file).values()).containsExactly(newB, c);
    }
}
