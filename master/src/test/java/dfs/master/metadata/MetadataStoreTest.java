package dfs.master.metadata;

import static dfs.master.metadata.Records.NODE_A;
import static dfs.master.metadata.Records.NODE_B;
import static dfs.master.metadata.Records.NODE_C;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dfs.common.wire.ChunkId;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetadataStoreTest {
    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("metadata_uploaded.json");
    }

    private Path journal() {
        return dir.resolve("metadata_uploaded.json.journal");
    }

    /** The files as a crash would leave them now: copied while the store is still open. */
    private Path crashImage() throws IOException {
        Path image = Files.createDirectories(dir.resolve("crash-" + System.nanoTime()));
        for (Path f : List.of(file(), journal())) {
            if (Files.exists(f)) {
                Files.copy(f, image.resolve(f.getFileName()));
            }
        }
        return image.resolve(file().getFileName());
    }

    @Test
    void newStoreIsEmpty() throws Exception {
        try (MetadataStore store = MetadataStore.open(file())) {
            assertThat(store.list()).isEmpty();
            assertThat(store.size()).isZero();
            assertThat(store.get("a")).isEmpty();
        }
    }

    @Test
    void putFilesSurviveReopen() throws Exception {
        FileRecord a = Records.file("a.txt", 9);
        FileRecord b = Records.file("dir/sub/b.bin", 0);
        try (MetadataStore store = MetadataStore.open(file())) {
            store.put(a);
            store.put(b);
            assertThat(store.get("a.txt")).contains(a);
        }
        try (MetadataStore store = MetadataStore.open(file())) {
            assertThat(store.list()).containsExactly(a, b);
            assertThat(store.get("dir/sub/b.bin")).contains(b);
        }
    }

    @Test
    void putReplacesTheRecordOfTheSameName() throws Exception {
        FileRecord first = Records.file("a.txt", 9);
        FileRecord second = Records.file("a.txt", 3);
        try (MetadataStore store = MetadataStore.open(file())) {
            store.put(first);
            store.put(second);
            assertThat(store.list()).containsExactly(second);
        }
        try (MetadataStore store = MetadataStore.open(file())) {
            assertThat(store.list()).containsExactly(second);
        }
    }

    @Test
    void removeForgetsTheFileAcrossReopen() throws Exception {
        try (MetadataStore store = MetadataStore.open(file())) {
            store.put(Records.file("a", 1));
            store.put(Records.file("b", 1));
            assertThat(store.remove("a")).isTrue();
            assertThat(store.get("a")).isEmpty();
        }
        try (MetadataStore store = MetadataStore.open(file())) {
            assertThat(store.list()).extracting(FileRecord::name).containsExactly("b");
        }
    }

    @Test
    void removeOfAnUnknownNameChangesNothing() throws Exception {
        try (MetadataStore store = MetadataStore.open(file())) {
            store.put(Records.file("a", 1));
            long before = Files.size(journal());
            assertThat(store.remove("b")).isFalse();
            assertThat(store.remove("../not even valid")).isFalse();
            assertThat(Files.size(journal())).isEqualTo(before);
        }
    }

    @Test
    void aRenameIsOneJournalLineThatACrashLeavesWholeAndThatOutlivesCompaction() throws Exception {
        FileRecord a = Records.file("a.txt", 9, List.of(NODE_A, NODE_B));
        FileRecord renamed = a.withName("docs/a.txt");
        try (MetadataStore store = MetadataStore.open(file())) {
            store.put(a);
            assertThat(store.rename("a.txt", renamed)).isTrue();

            assertThat(store.list()).containsExactly(renamed);
            assertThat(store.filesOn(NODE_A)).containsExactly(renamed);
            List<String> lines = Files.readAllLines(journal());
            assertThat(lines).hasSize(2);
            assertThat(lines.get(1)).startsWith("{\"op\":\"rename\",\"file\":{\"name\":\"docs/a.txt\"")
                    .endsWith(",\"name\":\"a.txt\"}");
            try (MetadataStore recovered = MetadataStore.open(crashImage())) {
                assertThat(recovered.list()).containsExactly(renamed);
            }
        }
        assertThat(journal()).isEmptyFile();
        try (MetadataStore store = MetadataStore.open(file())) {
            assertThat(store.list()).containsExactly(renamed);
        }
    }

    @Test
    void replayingARenameOverAStateThatHoldsItAndLaterChangesEndsTheSame() throws Exception {
        // a crash during compaction replays the journal over a snapshot that already has it all
        FileRecord a = Records.file("a", 3);
        try (MetadataStore store = MetadataStore.open(file())) {
            store.put(a);
            store.rename("a", a.withName("b"));
            store.put(Records.file("a", 7)); // a new file under the name the rename left
        }
        List<FileRecord> compacted = SnapshotFile.read(file()).values().stream().toList();
        try (MetadataStore store = MetadataStore.open(file())) { // journal empty now: write it again by hand
            assertThat(store.list()).isEqualTo(compacted);
        }
        com.fasterxml.jackson.databind.ObjectMapper json = dfs.common.json.Json.mapper();
        Files.writeString(journal(), json.writeValueAsString(JournalEntry.put(a)) + "\n"
                + json.writeValueAsString(JournalEntry.rename("a", a.withName("b"))) + "\n"
                + json.writeValueAsString(JournalEntry.put(compacted.get(0))) + "\n");
        try (MetadataStore store = MetadataStore.open(file())) {
            assertThat(store.list()).isEqualTo(compacted);
            assertThat(store.list()).extracting(FileRecord::name, FileRecord::size).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("a", 7L), org.assertj.core.groups.Tuple.tuple("b", 3L));
        }
    }

    @Test
    void aRenameOfAnUnknownNameChangesNothingAndABadEntryIsRefused() throws Exception {
        FileRecord a = Records.file("a", 1);
        try (MetadataStore store = MetadataStore.open(file())) {
            store.put(a);
            long before = Files.size(journal());
            assertThat(store.rename("b", Records.file("c", 1))).isFalse();
            assertThat(Files.size(journal())).isEqualTo(before);
            assertThatThrownBy(() -> store.rename("a", a)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("leaves a name other than the file's");
            assertThat(store.list()).containsExactly(a);
        }
    }

    @Test
    void listIsSortedByName() throws Exception {
        try (MetadataStore store = MetadataStore.open(file())) {
            for (String name : List.of("b", "a/z", "C", "a", "é")) {
                store.put(Records.file(name, 1));
            }
            assertThat(store.list()).extracting(FileRecord::name).containsExactly("C", "a", "a/z", "b", "é");
        }
    }

    @Test
    void eachChangeIsOneJournalLineDurableBeforeItReturns() throws Exception {
        try (MetadataStore store = MetadataStore.open(file())) {
            store.put(Records.file("a", 1));
            store.put(Records.file("b", 1));
            store.remove("a");
            assertThat(Files.readAllLines(journal())).hasSize(3)
                    .satisfies(lines -> assertThat(lines.get(2)).isEqualTo("{\"op\":\"remove\",\"name\":\"a\"}"));
            assertThat(file()).doesNotExist();
            // what a crash would leave right now already holds every change
            try (MetadataStore recovered = MetadataStore.open(crashImage())) {
                assertThat(recovered.list()).isEqualTo(store.list());
            }
        }
    }

    @Test
    void manyChangesShareJournalLinesOfAThousandAndACrashKeepsEachLineWholeOrNotAtAll() throws Exception {
        List<FileRecord> records = IntStream.range(0, 2500).mapToObj(i -> Records.file("f/" + i, 1)).toList();
        try (MetadataStore store = MetadataStore.open(file())) {
            store.putAll(records);

            assertThat(store.list()).containsExactlyInAnyOrderElementsOf(records);
            List<String> lines = Files.readAllLines(journal());
            assertThat(lines).hasSize(3).allSatisfy(line -> assertThat(line).startsWith("{\"op\":\"batch\","));
            try (MetadataStore recovered = MetadataStore.open(crashImage())) {
                assertThat(recovered.list()).isEqualTo(store.list());
            }
            // a crash half-way through writing the third line: the first two lines' files, none of the third's
            Path image = crashImage();
            long cut = lines.get(0).length() + lines.get(1).length() + 2 + lines.get(2).length() / 2;
            try (FileChannel journal = FileChannel.open(image.resolveSibling(journal().getFileName()),
                    StandardOpenOption.WRITE)) {
                journal.truncate(cut);
            }
            try (MetadataStore recovered = MetadataStore.open(image)) {
                assertThat(recovered.list()).containsExactlyInAnyOrderElementsOf(records.subList(0, 2000));
            }
        }
        try (MetadataStore store = MetadataStore.open(file())) {
            assertThat(store.size()).isEqualTo(2500);
        }
    }

    @Test
    void aLineHoldsFewerFilesWhenTheyHaveManyChunks() throws Exception {
        // 3,000 chunks each: three files and their chunks stay within a line's weight of 10,000
        List<FileRecord> records = IntStream.range(0, 7).mapToObj(i -> Records.file("big/" + i, 12_000)).toList();
        try (MetadataStore store = MetadataStore.open(file())) {
            store.putAll(records);
            assertThat(Files.readAllLines(journal())).hasSize(3);
            assertThat(store.list()).containsExactlyElementsOf(records);
        }
    }

    @Test
    void aFolderOfFilesIsRenamedInFewLinesEachFileUnderOneNameAndTheServersIndexFollows() throws Exception {
        List<FileRecord> records = IntStream.range(0, 1500)
                .mapToObj(i -> Records.file("photos/" + i, 1, List.of(NODE_A, NODE_C))).toList();
        try (MetadataStore store = MetadataStore.open(file())) {
            store.putAll(records);
            assertThat(store.filesOn(NODE_C)).hasSize(1500);
            long lines = Files.readAllLines(journal()).size();
            List<MetadataStore.Rename> renames = new ArrayList<>();
            records.forEach(r -> renames.add(new MetadataStore.Rename(r.name(), r.withName("pictures/" + r.name()))));
            renames.add(new MetadataStore.Rename("not/stored", Records.file("nowhere", 1))); // skipped

            store.renameAll(renames);

            assertThat(Files.readAllLines(journal())).hasSize((int) lines + 2);
            assertThat(store.list()).hasSize(1500)
                    .allSatisfy(f -> assertThat(f.name()).startsWith("pictures/photos/"));
            assertThat(store.filesOn(NODE_C)).hasSize(1500).allSatisfy(f -> assertThat(f.name()).startsWith("pictures/"));
            try (MetadataStore recovered = MetadataStore.open(crashImage())) {
                assertThat(recovered.list()).isEqualTo(store.list());
            }
        }
    }

    @Test
    void removingManySkipsNamesNotStoredAndWritesNothingWhenNoneIs() throws Exception {
        try (MetadataStore store = MetadataStore.open(file())) {
            store.putAll(List.of(Records.file("a", 1), Records.file("b", 1), Records.file("c", 1)));
            store.removeAll(List.of("a", "x", "c"));
            assertThat(store.list()).extracting(FileRecord::name).containsExactly("b");
            long before = Files.size(journal());
            store.removeAll(List.of("x", "y"));
            store.removeAll(List.of());
            assertThat(Files.size(journal())).isEqualTo(before);
            try (MetadataStore recovered = MetadataStore.open(crashImage())) {
                assertThat(recovered.list()).isEqualTo(store.list());
            }
        }
    }

    @Test
    void closeFoldsTheJournalIntoTheSnapshot() throws Exception {
        FileRecord a = Records.file("a", 5);
        try (MetadataStore store = MetadataStore.open(file())) {
            store.put(a);
        }
        assertThat(journal()).isEmptyFile();
        assertThat(SnapshotFile.read(file()).values()).containsExactly(a);
    }

    @Test
    void journalIsCompactedOnceItOutgrowsTheThresholdAndStateIsKept() throws Exception {
        List<FileRecord> expected = new ArrayList<>();
        try (MetadataStore store = MetadataStore.open(file(), 2_000)) {
            for (int i = 0; i < 20; i++) {
                FileRecord f = Records.file("f" + (100 + i), 9);
                store.put(f);
                expected.add(f);
            }
            assertThat(file()).exists();
            assertThat(Files.size(journal())).isLessThanOrEqualTo(Math.max(2_000, Files.size(file())));
            assertThat(SnapshotFile.read(file()).size()).isGreaterThan(0);
            try (MetadataStore recovered = MetadataStore.open(crashImage(), 2_000)) {
                assertThat(recovered.list()).isEqualTo(expected);
            }
        }
        try (MetadataStore store = MetadataStore.open(file())) {
            assertThat(store.list()).isEqualTo(expected);
        }
    }

    @Test
    void compactionThresholdGrowsWithTheSnapshot() throws Exception {
        try (MetadataStore store = MetadataStore.open(file(), 2_000)) {
            for (int i = 0; i < 40; i++) {
                store.put(Records.file("f" + i, 9));
            }
            long snapshot = Files.size(file());
            assertThat(snapshot).isGreaterThan(2_000);
            // with the journal as the only other cost, a replay never reads more than a snapshot
            store.put(Records.file("f0", 1));
            assertThat(Files.size(file())).isEqualTo(snapshot);
            assertThat(Files.size(journal())).isPositive();
        }
    }

    @Test
    void twoThousandPutsReloadAsTwoThousandFiles() throws Exception {
        try (MetadataStore store = MetadataStore.open(file(), 64 * 1024)) {
            for (int i = 0; i < 2_000; i++) {
                store.put(Records.file(String.format("bulk/%04d.bin", i), i % 13));
            }
            try (MetadataStore recovered = MetadataStore.open(crashImage())) {
                assertThat(recovered.size()).isEqualTo(2_000);
                assertThat(recovered.list()).isEqualTo(store.list());
            }
        }
        try (MetadataStore store = MetadataStore.open(file())) {
            assertThat(store.size()).isEqualTo(2_000);
        }
    }

    @Test
    void concurrentWritersAllLandInTheJournal() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (MetadataStore store = MetadataStore.open(file())) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        store.put(Records.file("t" + thread + "/" + i, 5));
                        store.get("t" + thread + "/" + i).orElseThrow();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            try (MetadataStore recovered = MetadataStore.open(crashImage())) {
                assertThat(recovered.size()).isEqualTo(200);
                assertThat(recovered.list()).isEqualTo(store.list());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void referencedChunksAreThoseOfEveryFile() throws Exception {
        FileRecord a = Records.file("a", 9);
        FileRecord b = Records.file("b", 5);
        try (MetadataStore store = MetadataStore.open(file())) {
            store.put(a);
            store.put(b);
            Set<ChunkId> all = new HashSet<>();
            a.chunks().forEach(c -> all.add(c.id()));
            b.chunks().forEach(c -> all.add(c.id()));
            assertThat(store.referencedChunks()).isEqualTo(all).hasSize(5);
            store.remove("a");
            assertThat(store.referencedChunks()).containsExactlyInAnyOrderElementsOf(
                    b.chunks().stream().map(ChunkRecord::id).toList());
        }
    }

    @Test
    void chunksOnANodeFollowReplacementsAndRemovals() throws Exception {
        FileRecord a = Records.file("a", 9, List.of(NODE_A, NODE_B));
        FileRecord b = Records.file("b", 5, List.of(NODE_B, NODE_C));
        try (MetadataStore store = MetadataStore.open(file())) {
            store.put(a);
            store.put(b);
            assertThat(store.filesOn(NODE_B)).containsExactly(a, b);
            assertThat(store.filesOn(NODE_A)).containsExactly(a);

            FileRecord moved = a.withServers(0, List.of(NODE_C, NODE_B));
            store.put(moved);
            assertThat(store.chunksOn(NODE_C)).containsExactlyInAnyOrder(
                    a.chunks().get(0).id(), b.chunks().get(0).id(), b.chunks().get(1).id());
            assertThat(store.chunksOn(NODE_A)).containsExactlyInAnyOrder(
                    a.chunks().get(1).id(), a.chunks().get(2).id());

            store.remove("a");
            assertThat(store.filesOn(NODE_A)).isEmpty();
            assertThat(store.chunksOn(NODE_A)).isEmpty();
            assertThat(store.filesOn(NODE_B)).containsExactly(b);
        }
    }

    @Test
    void filesOnANodeAreFoundAmongTheFilesTheStoreLoaded() throws Exception {
        FileRecord a = Records.file("a", 9, List.of(NODE_A, NODE_B));
        FileRecord b = Records.file("b", 5, List.of(NODE_B, NODE_C));
        try (MetadataStore store = MetadataStore.open(file())) {
            store.put(a);
            store.put(b);
        }
        try (MetadataStore store = MetadataStore.open(file())) {
            store.remove("a"); // before the first question about nodes
            assertThat(store.filesOn(NODE_B)).containsExactly(b);
            assertThat(store.filesOn(NODE_A)).isEmpty();
            assertThat(store.chunksOn(NODE_C)).hasSize(2);
        }
    }

    @Test
    void secondOpenOfTheSameFileIsRefusedWhileTheFirstIsOpen() throws Exception {
        try (MetadataStore first = MetadataStore.open(file())) {
            assertThatThrownBy(() -> MetadataStore.open(file()))
                    .isInstanceOf(MetadataInUseException.class)
                    .hasMessage("metadata file " + file() + " is in use by another dfs master (lock file "
                            + dir.resolve("metadata_uploaded.json.lock") + "); stop it first");
            first.put(Records.file("still-works", 1));
        }
        try (MetadataStore again = MetadataStore.open(file())) {
            assertThat(again.size()).isEqualTo(1);
        }
    }

    @Test
    void aLeftoverLockFileWithoutAHolderDoesNotBlock() throws Exception {
        Files.writeString(dir.resolve("metadata_uploaded.json.lock"), "from a master that died");
        try (MetadataStore store = MetadataStore.open(file())) {
            assertThat(store.size()).isZero();
        }
    }

    @Test
    void closedStoreRefusesChanges() throws Exception {
        MetadataStore store = MetadataStore.open(file());
        store.close();
        store.close(); // idempotent
        assertThatThrownBy(() -> store.put(Records.file("a", 1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is closed");
    }

    @Test
    void createsTheFolderOfTheMetadataFile() throws Exception {
        Path nested = dir.resolve("not/yet/there/metadata_uploaded.json");
        try (MetadataStore store = MetadataStore.open(nested)) {
            store.put(Records.file("a", 1));
        }
        assertThat(nested).exists();
    }

    // A listing ('dfs list') reads the store without the lock, changing nothing, whether or not a
    // running master holds it. Within one JVM the lock is just as exclusive, so the holder is a
    // store opened by the test.

    @Test
    void withoutAMasterTheListingReadsTheStoreAsItWasLeftAndChangesNothing() throws IOException {
        try (MetadataStore store = MetadataStore.open(file())) {
            store.put(Records.file("b", 3));
            store.put(Records.file("a", 1));
        }
        // a line a crash cut short: the next master to open the store cuts it off; a listing skips it
        Files.write(journal(), "{\"op\":\"put\",\"fi".getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        byte[] journalBefore = Files.readAllBytes(journal());
        List<Path> filesBefore = filesIn(dir);

        assertThat(MetadataStore.summaries(file(), 2)).extracting(FileSummary::name).containsExactly("a", "b");
        assertThat(MetadataStore.summaries(dir.resolve("none.json"), 2)).isEmpty();
        assertThat(Files.readAllBytes(journal())).isEqualTo(journalBefore);
        assertThat(filesIn(dir)).isEqualTo(filesBefore);
    }

    @Test
    void besideTheMasterHoldingTheStoreItSeesSnapshotAndJournalAndChangesNothing() throws IOException {
        FileRecord a = Records.file("a", 9);
        FileRecord b = Records.file("b", 5);
        FileRecord c = Records.file("dir/c", 2);
        try (MetadataStore store = MetadataStore.open(file())) {
            store.put(a);
            store.put(b);
        } // closing folds the journal into the snapshot
        try (MetadataStore master = MetadataStore.open(file())) {
            master.put(c);
            master.remove("a");
            // an entry the master is writing right now: not ended yet
            Files.write(journal(), "{\"op\":\"put\",\"fi".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
            byte[] snapshotBefore = Files.readAllBytes(file());
            byte[] journalBefore = Files.readAllBytes(journal());
            List<Path> filesBefore = filesIn(dir);

            assertThat(MetadataStore.summaries(file(), 2)).containsExactly(b.summary(), c.summary());

            assertThat(Files.readAllBytes(file())).isEqualTo(snapshotBefore);
            assertThat(Files.readAllBytes(journal())).as("the unfinished line is left to its writer").isEqualTo(journalBefore);
            assertThat(filesIn(dir)).isEqualTo(filesBefore);
            FileRecord d = Records.file("d", 1);
            master.put(d); // written where the unfinished line began
            assertThat(MetadataStore.summaries(file(), 1)).containsExactly(b.summary(), d.summary(), c.summary());
        }
    }

    @Test
    void besideTheMasterAWholeLineThatIsNoEntryIsReportedNotSkipped() throws IOException {
        try (MetadataStore master = MetadataStore.open(file())) {
            master.put(Records.file("a", 1));
            master.put(Records.file("b", 1));
            // ended, well-formed JSON, not an entry: written whole, so damage rather than an append under way
            Files.write(journal(), "{\"op\":\"put\"}\n".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);

            assertThatThrownBy(() -> MetadataStore.summaries(file(), 1))
                    .isInstanceOf(CorruptMetadataException.class).hasMessageContaining("line 3");
        }
    }

    @Test
    void besideAMasterThatKeepsCompactingEveryListingIsAStateTheStoreWasIn() throws Exception {
        // a window of three files sliding by one: the snapshot stays small, so the store compacts
        // every few changes, replacing the snapshot and emptying the journal under the reader
        Set<List<String>> states = ConcurrentHashMap.newKeySet();
        List<List<String>> seen = new ArrayList<>();
        try (MetadataStore master = MetadataStore.open(file(), 1)) {
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < 300; i++) {
                        master.put(Records.file(String.format("f%04d", i), 1));
                        states.add(listedNames(master.list()));
                        if (i >= 3) {
                            master.remove(String.format("f%04d", i - 3));
                            states.add(listedNames(master.list()));
                        }
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            while (!writer.isDone()) {
                seen.add(MetadataStore.summaries(file(), 2).stream().map(FileSummary::name).toList());
            }
            writer.get(60, TimeUnit.SECONDS);
            assertThat(MetadataStore.summaries(file(), 2)).isEqualTo(master.list().stream().map(FileRecord::summary).toList());
        }
        states.add(List.of()); // before the first change
        assertThat(seen).isNotEmpty().allSatisfy(state -> assertThat(states).contains(state));
        System.err.printf("MEASURED: %d listings beside 597 changes, all of them states the store was in%n",
                seen.size());
    }

    private static List<String> listedNames(List<FileRecord> files) {
        return files.stream().map(FileRecord::name).toList();
    }

    private static List<Path> filesIn(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void anEmptyStoreIsRestoredWholeAndDurably() throws IOException {
        List<FileRecord> files = List.of(Records.file("a", 10), Records.file("docs/b", 20));
        try (MetadataStore store = MetadataStore.open(file())) {
            long before = store.state().changes();
            store.restore(files);
            assertThat(store.list()).containsExactlyElementsOf(files);
            assertThat(store.state().changes()).isGreaterThan(before);
            assertThat(store.filesOn(NODE_A)).containsExactlyElementsOf(files);
        }
        assertThat(Files.exists(journal()) ? Files.size(journal()) : 0).isZero();
        try (MetadataStore reopened = MetadataStore.open(file())) {
            assertThat(reopened.list()).containsExactlyElementsOf(files);
        }
    }

    @Test
    void aStoreHoldingAFileIsNeverRestoredOver() throws IOException {
        try (MetadataStore store = MetadataStore.open(file())) {
            store.put(Records.file("mine", 10));

            assertThatThrownBy(() -> store.restore(List.of(Records.file("theirs", 10))))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageEndingWith("is not empty: 1 files; restore only fills an empty one");
            assertThat(store.list()).extracting(FileRecord::name).containsExactly("mine");
        }
    }
}
