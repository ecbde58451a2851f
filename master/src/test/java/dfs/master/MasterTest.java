package dfs.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dfs.common.config.DfsConfig;
import dfs.common.json.Json;
import dfs.common.crypto.IntegrityException;
import dfs.common.crypto.MasterKey;
import dfs.common.tls.ClusterTls;
import dfs.master.discovery.Discoveries;
import dfs.master.metadata.ChunkRecord;
import dfs.master.metadata.FileRecord;
import dfs.master.placement.NotEnoughRoomException;
import dfs.master.placement.NotEnoughServersException;
import dfs.master.testing.ActingProgress;
import dfs.master.testing.CancellingProgress;
import dfs.master.testing.TestCluster;
import dfs.master.transfer.BadReplica;
import dfs.master.transfer.Progress;
import dfs.master.transfer.TransferCancelledException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The master against a real cluster of three HTTPS chunk servers, chunk size 64 KiB. */
class MasterTest {
    private static final int CHUNK = 64 * 1024;
    private static final long SEED = System.nanoTime();

    @TempDir
    Path dir;
    TestCluster cluster;
    Master master;
    MasterKey masterKey = MasterKey.generate();
    Random random = new Random(SEED);

    @BeforeEach
    void start() throws IOException {
        System.err.println("MasterTest random seed " + SEED);
        cluster = TestCluster.start(dir.resolve("servers"), 3);
        master = startMaster(Map.of());
    }

    /**
     * A master whose uploads pass chunks from server to server, as on a LAN ({@code auto} sends
     * every copy itself to servers on its own machine, as these are).
     */
    private Master startMaster(Map<String, String> overrides) throws IOException {
        Map<String, String> values = new java.util.HashMap<>(Map.of(DfsConfig.REPLICATION_PATH, "chain"));
        values.putAll(overrides);
        DfsConfig config = cluster.masterConfig(dir, values);
        ClusterTls tls = ClusterTls.create(cluster.secret(), "dfs-master", Set.of());
        Master m = Master.start(config, masterKey, Discoveries.fromConfig(config, tls), tls);
        m.awaitServers(cluster.size(), config.discoveryTimeout());
        return m;
    }

    @AfterEach
    void stop() throws IOException {
        if (master != null) {
            master.close();
        }
        cluster.close();
    }

    private Path file(String name, int size) throws IOException {
        byte[] data = new byte[size];
        random.nextBytes(data);
        return Files.write(dir.resolve(name), data);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 17, 5 * 1024 * 1024 + 3})
    void aFileComesBackByteForByte(int size) throws IOException {
        Path original = file("f-" + size, size);
        FileRecord r = master.upload(original, "f-" + size, Progress.NONE);
        assertThat(r.chunkCount()).isEqualTo((size + CHUNK - 1) / CHUNK);

        Path back = dir.resolve("out/f-" + size);
        assertThat(master.download("f-" + size, back, Progress.NONE)).isEmpty();
        assertThat(Files.readAllBytes(back)).isEqualTo(Files.readAllBytes(original));
    }

    @Test
    void everyChunkSitsOnExactlyTwoDistinctServers() throws IOException {
        FileRecord r = master.upload(file("spread", 20 * CHUNK), "spread", Progress.NONE);
        Set<Integer> used = new HashSet<>();
        for (ChunkRecord c : r.chunks()) {
            List<Integer> holders = cluster.holders(c.id());
            assertThat(holders).as("holders of chunk %d\n%s", c.index(), cluster.describe()).hasSize(2);
            assertThat(c.servers()).containsExactlyInAnyOrder(
                    cluster.nodeId(holders.get(0)), cluster.nodeId(holders.get(1)));
            used.addAll(holders);
        }
        assertThat(used).as("chunks spread over every server").containsExactlyInAnyOrder(0, 1, 2);
    }

    @Test
    void aFilesRecordedDigestIsTheHashOfItsChunksHashesNotOfItsPlaintext() throws Exception {
        Path original = file("digest", 3 * CHUNK + 5);
        FileRecord r = master.upload(original, "digest", Progress.NONE);

        java.security.MessageDigest chunks = java.security.MessageDigest.getInstance("SHA-256");
        for (ChunkRecord c : r.chunks()) {
            chunks.update(java.util.HexFormat.of().parseHex(c.sha256()));
        }
        assertThat(r.sha256()).isEqualTo(java.util.HexFormat.of().formatHex(chunks.digest()));
        assertThat(r.sha256()).isNotEqualTo(java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(original))));
    }

    @Test
    void noServerDiskHoldsAnyPlaintext() throws IOException {
        String marker = "PLAINTEXT-MARKER-the quick brown fox-";
        Path text = dir.resolve("secret.txt");
        Files.writeString(text, marker.repeat(20_000));
        master.upload(text, "secret.txt", Progress.NONE);
        for (Path p : cluster.allFiles()) {
            String content = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
            assertThat(content).as("content of %s", p).doesNotContain("PLAINTEXT-MARKER").doesNotContain("secret.txt");
        }
    }

    @Test
    void deleteRemovesTheFileAndFreesItsChunks() throws IOException {
        FileRecord r = master.upload(file("gone", 4 * CHUNK), "gone", Progress.NONE);
        master.delete("gone");
        assertThat(master.list()).isEmpty();
        for (ChunkRecord c : r.chunks()) {
            assertThat(cluster.holders(c.id())).isEmpty();
        }
        assertThatThrownBy(() -> master.download("gone", dir.resolve("x"), Progress.NONE))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining("gone");
    }

    @Test
    void uploadingAnExistingNameReplacesItAndFreesTheOldChunks() throws IOException {
        FileRecord old = master.upload(file("v1", 2 * CHUNK), "doc", Progress.NONE);
        Path v2 = file("v2", 3 * CHUNK);
        master.upload(v2, "doc", Progress.NONE);
        assertThat(master.list()).hasSize(1);
        master.download("doc", dir.resolve("doc.out"), Progress.NONE);
        assertThat(Files.readAllBytes(dir.resolve("doc.out"))).isEqualTo(Files.readAllBytes(v2));
        for (ChunkRecord c : old.chunks()) {
            assertThat(cluster.holders(c.id())).isEmpty();
        }
    }

    @Test
    void tooFewLiveServersRefuseTheUploadNamingNeededAndAvailable() throws IOException {
        cluster.kill(1);
        cluster.kill(2);
        master.refresh();
        assertThatThrownBy(() -> master.upload(file("lonely", 10), "lonely", Progress.NONE))
                .isInstanceOf(NotEnoughServersException.class)
                .hasMessageContaining("need 2 live chunk servers").hasMessageContaining("1 is available");
        assertThat(master.list()).isEmpty();
    }

    @Test
    void downloadFallsOverWhenAServerHoldingReplicasIsDown() throws IOException {
        Path original = file("survivor", 10 * CHUNK);
        master.upload(original, "survivor", Progress.NONE);
        cluster.kill(0);
        Path back = dir.resolve("survivor.out");
        master.download("survivor", back, Progress.NONE);
        assertThat(Files.readAllBytes(back)).isEqualTo(Files.readAllBytes(original));
    }

    private int indexOf(dfs.common.wire.NodeId node) {
        for (int i = 0; i < cluster.size(); i++) {
            if (cluster.nodeId(i).equals(node)) {
                return i;
            }
        }
        throw new AssertionError("no server has node id " + node);
    }

    private void flipAByte(int server, ChunkRecord chunk) throws IOException {
        Path onDisk = cluster.chunkFile(server, chunk.id()).orElseThrow();
        byte[] bytes = Files.readAllBytes(onDisk);
        bytes[bytes.length - 10] ^= 0x40;
        Files.write(onDisk, bytes);
    }

    @Test
    void aCorruptReplicaIsNeverReturnedAndIsReported() throws IOException {
        Path original = file("rot", 2 * CHUNK);
        ChunkRecord first = master.upload(original, "rot", Progress.NONE).chunks().get(0);
        // replicas are tried in their recorded order when all are live: rot the one tried first
        int holder = indexOf(first.servers().get(0));
        flipAByte(holder, first);

        Path back = dir.resolve("rot.out");
        List<BadReplica> bad = master.download("rot", back, Progress.NONE);
        assertThat(Files.readAllBytes(back)).isEqualTo(Files.readAllBytes(original));
        assertThat(bad).singleElement().satisfies(b -> {
            assertThat(b.node()).isEqualTo(cluster.nodeId(holder));
            assertThat(b.corrupt()).isTrue();
            assertThat(b.index()).isZero();
        });
    }

    @Test
    void aDownloadedFileGetsThePermissionsOfAnyNewFileHereNotOwnerOnly() throws IOException {
        master.upload(file("shared.txt", 100), "shared.txt", Progress.NONE);
        Path back = dir.resolve("back.txt");

        master.download("shared.txt", back, Progress.NONE);

        Path plain = Files.createFile(dir.resolve("made-here.txt")); // as cp or an editor would make it
        assertThat(Files.getPosixFilePermissions(back)).isEqualTo(Files.getPosixFilePermissions(plain));
    }

    @Test
    void aChunkWhoseOnlyReachableReplicaIsCorruptFailsTheDownloadAndWritesNothing() throws IOException {
        ChunkRecord first = master.upload(file("doomed", CHUNK + 5), "doomed", Progress.NONE).chunks().get(0);
        flipAByte(indexOf(first.servers().get(0)), first);
        cluster.kill(indexOf(first.servers().get(1)));
        Path out = dir.resolve("doomed.out");
        assertThatThrownBy(() -> master.download("doomed", out, Progress.NONE))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("chunk 0 of doomed could not be read from any replica")
                .hasMessageContaining("do not match the recorded SHA-256");
        assertThat(out).doesNotExist();
        try (var leftovers = Files.list(dir)) {
            assertThat(leftovers.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("partial"));
        }
    }

    @Test
    void aTamperedMetadataEntryGivesAnIntegrityErrorAndWritesNothing() throws IOException {
        master.upload(file("t", 3 * CHUNK), "t", Progress.NONE);
        master.close();
        master = null;
        Path meta = cluster.masterConfig(dir, Map.of()).metadataFile();
        // closing folded the journal into the snapshot: edit the file's size there, as a person would
        ObjectNode root = (ObjectNode) Json.mapper().readTree(meta.toFile());
        ObjectNode entry = (ObjectNode) root.path("files").get(0);
        assertThat(entry.path("size").asLong()).isEqualTo(3 * CHUNK);
        entry.put("size", 3 * CHUNK - 1);
        Json.mapper().writeValue(meta.toFile(), root);
        master = startMaster(Map.of());
        Path out = dir.resolve("t.out");
        assertThatThrownBy(() -> master.download("t", out, Progress.NONE))
                .isInstanceOf(IntegrityException.class).hasMessageContaining("metadata integrity error for t");
        assertThat(out).doesNotExist();
    }

    @Test
    void aFailedUploadLeavesNoChunkAndNoMetadata() throws IOException {
        cluster.kill(1);
        cluster.kill(2);
        master.refresh();
        // with one server the upload is refused up front; with replicas failing midway it must clean up
        assertThatThrownBy(() -> master.upload(file("half", 8 * CHUNK), "half", Progress.NONE))
                .isInstanceOf(IOException.class);
        assertThat(master.list()).isEmpty();
        assertThat(cluster.chunkFiles(0)).isEmpty();
    }

    @Test
    void anUploadTheServersSurelyCannotHoldIsRefusedBeforeAnythingIsStored() throws IOException {
        master.close();
        cluster.close();
        cluster = TestCluster.startWithReserve(dir.resolve("full"), 3, Long.MAX_VALUE / 2);
        master = startMaster(Map.of(DfsConfig.CHUNK_SIZE, "4MiB"));
        Path folder = Files.createDirectories(dir.resolve("docs"));
        Files.copy(file("a", 1000), folder.resolve("a"));

        assertThatThrownBy(() -> master.upload(file("big", 5 * 1024 * 1024), "big", Progress.NONE))
                .isInstanceOf(NotEnoughRoomException.class)
                .hasMessage("not enough room for big: its 5.0 MiB must be stored on 2 different chunk servers each,"
                        + " and the 3 live ones have room for 0 B (free above their reserve_space: 0 B, 0 B, 0 B,"
                        + " on 1 disk they share); free space on them or add a chunk server");
        assertThatThrownBy(() -> master.uploadFolder(folder, "docs", Progress.NONE))
                .isInstanceOf(NotEnoughRoomException.class)
                .hasMessageStartingWith("not enough room for docs/: its 1.0 KiB must be stored on 2 different");
        assertThat(master.list()).isEmpty();
        assertThat(cluster.allChunkFiles()).isEmpty();
    }

    @Test
    void serversOfOneMachineOnOneDiskCountItsFreeSpaceOnce() throws IOException {
        master.close();
        cluster.close();
        Path big = file("big", 24 << 20);
        Path small = file("small", 8 << 20);
        // three servers on one disk of one machine, each reporting about 28 MiB free: two copies of
        // 14 MiB at most, where three separate disks would take two copies of 42 MiB
        cluster = TestCluster.startSharingFreeSpace(dir.resolve("shared"), List.of("127.0.0.1", "127.0.0.1", "127.0.0.1"),
                28L << 20);
        master = startMaster(Map.of(DfsConfig.CHUNK_SIZE, "4MiB"));

        assertThatThrownBy(() -> master.upload(big, "big", Progress.NONE))
                .isInstanceOf(NotEnoughRoomException.class)
                .hasMessageMatching("not enough room for big: its 24\\.0 MiB must be stored on 2 different chunk servers"
                        + " each, and the 3 live ones have room for 1[34]\\.\\d MiB \\(free above their reserve_space: .*,"
                        + " on 1 disk they share\\); free space on them or add a chunk server");
        assertThat(cluster.allChunkFiles()).isEmpty();
        assertThat(master.upload(small, "small", Progress.NONE).chunkCount()).isEqualTo(2);
    }

    @Test
    void anUploadThatFillsTheServersOnTheWaySaysSoAndKeepsNothing() throws IOException {
        master.close();
        cluster.close();
        // written first: a file written on the shared disk later would shrink what the servers report
        int chunks = 20;
        int chunkBytes = 4 << 20; // the chunk size the master below is started with
        Path big = file("big", chunks * chunkBytes);
        // three servers on one disk that the master takes for three machines, each reporting about
        // 58 MiB free: room for two copies of 87 MiB by their reports, but the disk they share
        // takes only 58 MiB in all. A server checks the room a chunk needs when it arrives, so the
        // copies of one window in flight may all be let in at once; the last chunk starts only
        // after the first 8 are stored, two copies of 64 MiB, which the disk cannot hold: some
        // chunk must be refused.
        long free = 58L << 20;
        assertThat((long) (chunks - Master.UPLOAD_IN_FLIGHT) * 2 * chunkBytes).isGreaterThan(free);
        cluster = TestCluster.startSharingFreeSpace(dir.resolve("small"), List.of("127.0.0.2", "127.0.0.3", "127.0.0.4"),
                free);
        // chunks far larger than the sockets' buffers: refused before the server has read them
        master = startMaster(Map.of(DfsConfig.CHUNK_SIZE, "4MiB"));

        assertThatThrownBy(() -> master.upload(big, "big", Progress.NONE))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("no live chunk server has room left for chunk ")
                .hasMessageContaining("(HTTP 507): no room for a ")
                .hasMessageEndingWith(" kept in reserve; free space there or add a chunk server)");
        assertThat(master.list()).isEmpty();
        assertThat(cluster.allChunkFiles()).isEmpty();
    }

    @Test
    void aCancelledUploadStopsEarlyKeepsTheOldVersionAndLeavesNoChunk() throws IOException {
        Path old = file("old", 3 * CHUNK);
        FileRecord kept = master.upload(old, "movie", Progress.NONE);
        List<Path> before = cluster.allChunkFiles();

        assertThatThrownBy(() -> master.upload(file("new", 200 * CHUNK), "movie", CancellingProgress.after(2L * CHUNK)))
                .isInstanceOf(TransferCancelledException.class)
                .hasMessage("upload of movie cancelled; nothing of it was kept");

        assertThat(master.list()).containsExactly(kept);
        assertThat(cluster.allChunkFiles()).containsExactlyInAnyOrderElementsOf(before);
        Path back = dir.resolve("movie.out");
        master.download("movie", back, Progress.NONE);
        assertThat(Files.readAllBytes(back)).isEqualTo(Files.readAllBytes(old));
    }

    /** How a file being uploaded is changed under the upload's feet. */
    enum Change { GROWS, SHRINKS, IS_REWRITTEN_IN_PLACE }

    @ParameterizedTest
    @EnumSource(Change.class)
    void aFileChangedWhileItIsUploadedIsRefusedAndNothingOfItIsKept(Change change) throws IOException {
        FileRecord kept = master.upload(file("old", 3 * CHUNK), "log", Progress.NONE);
        List<Path> before = cluster.allChunkFiles();
        Path live = file("live", 20 * CHUNK);
        Files.setLastModifiedTime(live, FileTime.from(Instant.now().minusSeconds(3600))); // written an hour ago
        // chunk 0 is read, so rewriting its bytes leaves the size and the reads that follow as they were
        Progress changesIt = ActingProgress.beforeChunk(10, () -> {
            try (FileChannel ch = FileChannel.open(live, StandardOpenOption.WRITE)) {
                switch (change) {
                    case GROWS -> ch.write(ByteBuffer.wrap(new byte[100]), 20L * CHUNK);
                    case SHRINKS -> ch.truncate(15L * CHUNK);
                    case IS_REWRITTEN_IN_PLACE -> ch.write(ByteBuffer.wrap(new byte[100]), 0);
                }
            }
        });

        String said = switch (change) {
            case GROWS -> " grew while it was being uploaded; upload it again";
            case SHRINKS -> " shrank while it was being uploaded; upload it again";
            case IS_REWRITTEN_IN_PLACE -> " was changed while it was being uploaded, so it was not kept; upload it again"
                    + " once nothing writes to it (or upload a copy)";
        };
        assertThatThrownBy(() -> master.upload(live, "log", changesIt))
                .isInstanceOf(IOException.class)
                .hasMessage(live + said);
        assertThat(master.list()).containsExactly(kept);
        assertThat(cluster.allChunkFiles()).containsExactlyInAnyOrderElementsOf(before);
    }

    @Test
    void aCancelledDownloadLeavesThePreviousFileAndNoPartialOne() throws IOException {
        master.upload(file("big", 200 * CHUNK), "big", Progress.NONE);
        Path out = Files.createDirectories(dir.resolve("out"));
        Path target = Files.writeString(out.resolve("big"), "the copy from last week");

        assertThatThrownBy(() -> master.download("big", target, CancellingProgress.after(2L * CHUNK)))
                .isInstanceOf(TransferCancelledException.class)
                .hasMessage("download of big cancelled; nothing was written");

        try (var left = Files.list(out)) {
            assertThat(left).containsExactly(target);
        }
        assertThat(Files.readString(target)).isEqualTo("the copy from last week");
    }

    @Test
    void badNamesAreRefusedBeforeAnythingIsStored() throws IOException {
        Path f = file("ok", 10);
        for (String bad : List.of("../escape", "/abs", "a//b", "")) {
            assertThatThrownBy(() -> master.upload(f, bad, Progress.NONE)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(master.list()).isEmpty();
    }

    @Test
    void aServerThatDiedUnnoticedIsRoutedAroundWhetherFirstOrLaterInAChain() throws IOException {
        dfs.common.wire.NodeId dead = cluster.nodeId(1);
        cluster.kill(1); // the master still counts it live: chains through it break, or start at it and fail
        Path original = file("around", 24 * CHUNK + 5);

        FileRecord r = master.upload(original, "around", Progress.NONE);

        for (ChunkRecord c : r.chunks()) {
            assertThat(c.servers()).as("chunk %d", c.index())
                    .containsExactlyInAnyOrder(cluster.nodeId(0), cluster.nodeId(2));
            assertThat(cluster.holders(c.id())).containsExactlyInAnyOrder(0, 2);
        }
        assertThat(r.chunks()).allSatisfy(c -> assertThat(c.servers()).doesNotContain(dead));
        Path back = dir.resolve("around.out");
        master.download("around", back, Progress.NONE);
        assertThat(Files.readAllBytes(back)).isEqualTo(Files.readAllBytes(original));
    }

    @Test
    void anUploadWhoseServerDiesHalfWayPlacesTheRemainingReplicasElsewhere() throws IOException {
        Path original = file("moving", 60 * CHUNK);
        dfs.common.wire.NodeId dead = cluster.nodeId(1);
        // the death happens before chunk 30 is read, while up to eight earlier chunks are still in flight
        Progress killsServerOneHalfWay = ActingProgress.beforeChunk(30, () -> cluster.kill(1));
        FileRecord r = master.upload(original, "moving", killsServerOneHalfWay);

        long early = r.chunks().stream().filter(c -> c.index() < 30).filter(c -> c.servers().contains(dead)).count();
        assertThat(early).as("chunks stored before the death, some on the server that died").isPositive();
        long late = r.chunks().stream().filter(c -> c.index() >= 30).filter(c -> c.servers().contains(dead)).count();
        assertThat(late).as("chunks placed after the death are not recorded on the dead server").isZero();
        for (ChunkRecord c : r.chunks()) {
            assertThat(c.servers()).hasSize(2).doesNotHaveDuplicates();
            // every recorded replica is really on its server's disk; a server that stored a chunk
            // but died before answering may hold one more, unrecorded copy, which the healer trims
            List<dfs.common.wire.NodeId> onDisk = cluster.holders(c.id()).stream()
                    .map(i -> i == 1 ? dead : cluster.nodeId(i)).toList();
            assertThat(onDisk).containsAll(c.servers());
        }
        Path back = dir.resolve("moving.out");
        master.download("moving", back, Progress.NONE);
        assertThat(Files.readAllBytes(back)).isEqualTo(Files.readAllBytes(original));
    }

    @Test
    void aNewMasterChecksTheServersItsPredecessorSawEvenWithoutDiscovery() throws IOException {
        Path original = file("remembered", 3 * CHUNK);
        master.upload(original, "remembered", Progress.NONE);
        master.close(); // remembers where the three servers were
        DfsConfig config = cluster.masterConfig(dir, Map.of());
        ClusterTls tls = ClusterTls.create(cluster.secret(), "dfs-master", Set.of());
        master = Master.start(config, masterKey, new dfs.master.discovery.StaticDiscovery(List.of()), tls);

        assertThat(master.awaitServers(3, java.time.Duration.ofSeconds(10))).as("live servers, found with no discovery")
                .hasSize(3);
        Path back = dir.resolve("remembered.out");
        master.download("remembered", back, Progress.NONE);
        assertThat(Files.readAllBytes(back)).isEqualTo(Files.readAllBytes(original));
    }
}
