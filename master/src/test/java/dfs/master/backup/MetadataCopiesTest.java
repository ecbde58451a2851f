package dfs.master.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dfs.common.config.DfsConfig;
import dfs.common.crypto.MasterKey;
import dfs.common.crypto.MasterKeyFile;
import dfs.common.crypto.MasterKeySet;
import dfs.common.crypto.PassphraseSource;
import dfs.common.tls.ClusterTls;
import dfs.master.Master;
import dfs.master.cluster.ChunkClient;
import dfs.master.discovery.Discoveries;
import dfs.master.keys.KeyFiles;
import dfs.master.metadata.FileRecord;
import dfs.master.metadata.MetadataCopy;
import dfs.master.repair.RepairSettings;
import dfs.master.testing.TestCluster;
import dfs.master.transfer.Progress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The master keeps a sealed copy of its metadata on every chunk server, and a master that lost
 * its metadata recovers every file from them: three real HTTPS chunk servers, real masters.
 */
class MetadataCopiesTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    TestCluster cluster;
    Master master;
    MasterKey masterKey = MasterKey.generate();
    Random random = new Random();
    ExecutorService io = Executors.newCachedThreadPool();
    ChunkClient client;

    @BeforeEach
    void start() throws IOException {
        cluster = TestCluster.start(dir.resolve("servers"), 3);
        client = new ChunkClient(ClusterTls.create(cluster.secret(), "dfs-test", Set.of()), Duration.ofSeconds(10), io);
        master = startMaster(masterKey);
    }

    @AfterEach
    void stop() throws IOException {
        if (master != null) {
            master.close();
        }
        client.close();
        io.shutdownNow();
        cluster.close();
    }

    /** A master whose healer scans every 200 ms and collects orphans after 300 ms. */
    private Master startMaster(MasterKey key) throws IOException {
        return startMaster(key, dir);
    }

    /** As {@link #startMaster(MasterKey)}, with its metadata in {@code home}. */
    private Master startMaster(MasterKey key, Path home) throws IOException {
        DfsConfig config = cluster.masterConfig(home, Map.of());
        ClusterTls tls = ClusterTls.create(cluster.secret(), "dfs-master", Set.of());
        Master m = Master.start(config, key, Discoveries.fromConfig(config, tls), tls,
                new RepairSettings(Duration.ofMillis(200), Duration.ofMillis(300), Duration.ofSeconds(1), 3));
        m.awaitServers(cluster.size(), config.discoveryTimeout());
        return m;
    }

    private FileRecord upload(String name, int size) throws IOException {
        byte[] data = new byte[size];
        random.nextBytes(data);
        return master.upload(Files.write(dir.resolve("source-" + size), data), name, Progress.NONE);
    }

    /** The master machine's disk dies: its metadata is gone; the key file was backed up. */
    private void loseTheMastersMetadata() throws IOException {
        master.close();
        master = null;
        for (String suffix : List.of("", ".journal")) {
            Files.deleteIfExists(dir.resolve("metadata_uploaded.json" + suffix));
        }
    }

    private Optional<MetadataCopy> copyOn(int server) throws IOException {
        Optional<byte[]> sealed = client.metadataCopy(new InetSocketAddress("127.0.0.1", cluster.port(server)));
        if (sealed.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(MetadataCopy.open(MasterKeySet.of(masterKey), sealed.get(), "the copy on " + server));
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + PATIENCE + ": " + what);
            }
            Thread.sleep(50);
        }
    }

    private boolean everyServerHoldsACopyOf(int files) {
        for (int i = 0; i < cluster.size(); i++) {
            try {
                if (copyOn(i).map(c -> c.files().size() != files).orElse(true)) {
                    return false;
                }
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    @Test
    void everyServerSoonHoldsASealedCopyThatNamesNoFile() throws Exception {
        FileRecord plans = upload("secret-plans.pdf", 200_000);

        await("every server holds a copy of the one file", () -> everyServerHoldsACopyOf(1));

        assertThat(master.metadataCopies()).isEqualTo(new MetadataCopies.Standing(3, 3, false, Optional.empty()));
        assertThat(copyOn(0).orElseThrow().files()).containsExactly(plans);
        byte[] name = "secret-plans".getBytes(StandardCharsets.US_ASCII);
        List<Path> serverFiles = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir.resolve("servers"))) {
            walk.filter(Files::isRegularFile).forEach(serverFiles::add);
        }
        for (Path f : serverFiles) {
            assertThat(indexOf(Files.readAllBytes(f), name)).as("the file name in %s", f).isEqualTo(-1);
        }
    }

    @Test
    void statusSendsACopyThatIsDueBeforeItCountsThem() throws Exception {
        upload("just-stored", 1000);

        assertThat(master.metadataCopies()).isEqualTo(new MetadataCopies.Standing(3, 3, false, Optional.empty()));
        assertThat(everyServerHoldsACopyOf(1)).isTrue();
    }

    @Test
    void aMasterThatLostItsMetadataRecoversEveryFileFromTheServers() throws Exception {
        byte[] data = new byte[300_000];
        random.nextBytes(data);
        Path original = Files.write(dir.resolve("report"), data);
        master.upload(original, "docs/report.pdf", Progress.NONE);
        upload("photos/a.jpg", 70_000);
        upload("empty", 0);
        List<FileRecord> stored = master.list();
        loseTheMastersMetadata();

        master = startMaster(masterKey);
        assertThat(master.list()).isEmpty();
        MetadataCopies.Recovered r = master.recover();

        assertThat(r.copy().files()).containsExactlyInAnyOrderElementsOf(stored);
        // every server held a copy; a server left out of one round of copies (suspect for a moment
        // on a busy machine) got the same files in a later one, sealed at another time
        assertThat(r.holders()).isNotEmpty();
        assertThat(r.holders().size() + r.older().size()).isEqualTo(3);
        assertThat(r.problems()).isEmpty();
        assertThat(master.list()).containsExactlyElementsOf(stored);
        Path back = dir.resolve("back.pdf");
        master.download("docs/report.pdf", back, Progress.NONE);
        assertThat(Files.readAllBytes(back)).isEqualTo(data);
        Master recovered = master;
        await("the recovered master sends its own copy to every server", () -> {
            try {
                return !recovered.copiesHeldBack() && copyOn(0).orElseThrow().written().isAfter(r.copy().written())
                        && everyServerHoldsACopyOf(stored.size());
            } catch (IOException e) {
                return false;
            }
        });
        master.close();
        master = startMaster(masterKey); // and the recovered metadata is on disk
        assertThat(master.list()).containsExactlyElementsOf(stored);
    }

    @Test
    void theNewestCopyWinsOverTheOlderOneOfAServerThatWasAway() throws Exception {
        upload("first", 1000);
        await("every server holds a copy of the first file", () -> everyServerHoldsACopyOf(1));
        cluster.kill(2);
        master.refresh();
        upload("second", 1000);
        Master twoLive = master;
        await("the two live servers hold the copy of both files",
                () -> twoLive.metadataCopies().equals(new MetadataCopies.Standing(2, 2, false, Optional.empty())));
        loseTheMastersMetadata(); // its last copy reaches the two live servers as it closes
        cluster.restart(2);

        master = startMaster(masterKey);
        MetadataCopies.Recovered r = master.recover();

        assertThat(master.list()).extracting(FileRecord::name).containsExactly("first", "second");
        assertThat(r.holders()).containsExactlyInAnyOrder("127.0.0.1:" + cluster.port(0), "127.0.0.1:" + cluster.port(1));
        assertThat(r.older()).singleElement().asString()
                .startsWith("127.0.0.1:" + cluster.port(2) + " (written ").endsWith(", 1 files)");
    }

    @Test
    void aMasterStartedEmptyBesideServersHoldingACopyReplacesNoneOfTheirCopiesNorDeletesTheirChunks()
            throws Exception {
        FileRecord lost = upload("lost-with-the-disk", 1000);
        await("every server holds a copy of the file", () -> everyServerHoldsACopyOf(1));
        loseTheMastersMetadata();

        master = startMaster(masterKey);
        Master unaware = master;
        await("the new master has seen the servers' copies", () -> unaware.copiesHeldBack());
        assertThat(master.metadataCopies()).isEqualTo(new MetadataCopies.Standing(3, 0, true, Optional.empty()));
        upload("stored-before-recover", 1000);
        long scans = master.status().healing().scans();
        await("eight healer scans: the lost file's chunks are orphans to this master, well past their grace",
                () -> unaware.status().healing().scans() >= scans + 8);
        master.close(); // a master that changed something sends its copy as it exits: not this one
        master = null;

        for (int i = 0; i < cluster.size(); i++) {
            assertThat(copyOn(i).orElseThrow().files()).as("the copy on server %d", i).containsExactly(lost);
        }
        for (var chunk : lost.chunks()) {
            assertThat(cluster.holders(chunk.id())).as("holders of chunk %s", chunk.id()).hasSize(2);
        }
    }

    @Test
    void aSecondMasterBesideTheFirstOnesCopiesStoresNothingAndLeavesTheFirstOnesChunksAndCopies() throws Exception {
        FileRecord first = upload("the-first-masters", 1000);
        await("every server holds a copy of the first master's file", () -> everyServerHoldsACopyOf(1));
        master.close();
        master = null;
        List<Path> before = cluster.allFiles();
        // another machine, given the copied dfs_setup.config, made a master key of its own
        Path otherHome = Files.createDirectories(dir.resolve("other-machine"));
        Path mine = Files.write(otherHome.resolve("mine"), new byte[1000]);
        Path photos = Files.createDirectories(otherHome.resolve("photos"));
        Files.write(photos.resolve("a.jpg"), new byte[1000]);

        try (Master second = startMaster(MasterKey.generate(), otherHome)) {
            assertThatThrownBy(() -> second.upload(mine, "the-second-masters", Progress.NONE))
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("chunk server ")
                    .hasMessageContaining(" holds the copy of master " + masterKey.id() + ", so this cluster has"
                            + " another master, whose healer deletes the chunks of files it does not know: nothing was"
                            + " stored; store files from that master's machine");
            assertThatThrownBy(() -> second.uploadFolder(photos, "photos", Progress.NONE))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(", so this cluster has another master");
            assertThat(second.metadataCopies().otherMaster()).hasValueSatisfying(said -> assertThat(said)
                    .endsWith(" holds the copy of master " + masterKey.id()));
            assertThat(second.list()).isEmpty();
            assertThat(cluster.allFiles()).containsExactlyInAnyOrderElementsOf(before);

            second.beGuest(); // as the bench does on a running cluster: its files, stored and deleted again
            FileRecord guests = second.upload(mine, "the-bench's", Progress.NONE);
            assertThat(cluster.holders(guests.chunks().get(0).id())).hasSize(2);
            second.delete("the-bench's");
        }

        for (int i = 0; i < cluster.size(); i++) {
            assertThat(copyOn(i).orElseThrow().files()).as("the copy on server %d", i).containsExactly(first);
        }
    }

    @Test
    void aSecondMasterWithFilesOfItsOwnNeitherReplacesTheFirstOnesCopiesNorDeletesItsChunks() throws Exception {
        // the second master stored a file first, then its copies were deleted from the servers, as
        // the README says to start afresh, and the first master stored one
        master.close();
        MasterKey otherKey = MasterKey.generate();
        Path otherHome = Files.createDirectories(dir.resolve("other-machine"));
        try (Master other = startMaster(otherKey, otherHome)) {
            other.upload(Files.write(otherHome.resolve("mine"), new byte[1000]), "the-second-masters", Progress.NONE);
        }
        for (int i = 0; i < cluster.size(); i++) {
            Files.delete(cluster.storage(i).resolve("metadata-copy"));
            Files.delete(cluster.storage(i).resolve("metadata-copy.master"));
        }
        master = startMaster(masterKey);
        FileRecord first = upload("the-first-masters", 1000);
        await("every server holds a copy of the first master's file", () -> everyServerHoldsACopyOf(1));
        master.close();
        master = null;

        Master second = startMaster(otherKey, otherHome); // its metadata holds a file
        try {
            await("the second master has seen the first one's copies", second::copiesHeldBack);
            assertThat(second.metadataCopies().otherMaster()).hasValueSatisfying(said -> assertThat(said)
                    .startsWith("chunk server ").endsWith(" holds the copy of master " + masterKey.id()));
            long scans = second.status().healing().scans();
            await("eight healer scans: the first master's chunks are orphans to the second, well past their grace",
                    () -> second.status().healing().scans() >= scans + 8);
        } finally {
            second.close();
        }

        for (int i = 0; i < cluster.size(); i++) {
            assertThat(copyOn(i).orElseThrow().files()).as("the copy on server %d", i).containsExactly(first);
        }
        for (var chunk : first.chunks()) {
            assertThat(cluster.holders(chunk.id())).as("holders of chunk %s", chunk.id()).hasSize(2);
        }
        master = startMaster(masterKey);
        assertThat(master.copiesHeldBack()).as("the first master, back, holds nothing back").isFalse();
        assertThat(master.metadataCopies().otherMaster()).isEmpty();
    }

    @Test
    void afterARekeyEveryServersCopyIsSealedUnderTheNewKey() throws Exception {
        master.close();
        Path keyFile = dir.resolve("master.key");
        masterKey = MasterKeyFile.create(keyFile);
        KeyFiles keyFiles = new KeyFiles(keyFile, PassphraseSource.NONE);
        DfsConfig config = cluster.masterConfig(dir, Map.of());
        ClusterTls tls = ClusterTls.create(cluster.secret(), "dfs-master", Set.of());
        master = Master.start(config, keyFiles, Discoveries.fromConfig(config, tls), tls);
        master.awaitServers(cluster.size(), config.discoveryTimeout());
        upload("before-the-rekey", 1000);
        await("every server holds a copy under the first key", () -> everyServerHoldsACopyOf(1));

        master.rekey();
        masterKey = keyFiles.load().current();

        await("every server's copy opens under the new key", () -> everyServerHoldsACopyOf(1));
    }

    @Test
    void recoveryNeverFillsAMetadataThatHoldsFiles() throws Exception {
        upload("mine", 1000);

        assertThatThrownBy(() -> master.recover())
                .isInstanceOf(IOException.class)
                .hasMessage("the metadata already holds 1 file; recover only fills an empty one (move the metadata"
                        + " file and its .journal aside first)");
        assertThat(master.list()).extracting(FileRecord::name).containsExactly("mine");
    }

    @Test
    void copiesSealedUnderAnotherMasterKeyAreNotRecovered() throws Exception {
        upload("mine", 1000);
        loseTheMastersMetadata();

        master = startMaster(MasterKey.generate());

        assertThatThrownBy(() -> master.recover())
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("the metadata copy on 127.0.0.1:")
                .hasMessageContaining(" does not open with this master key: another master key sealed it, or it"
                        + " was altered (and 2 more)");
        assertThat(master.list()).isEmpty();
    }

    @Test
    void withoutAnyCopyRecoverySaysSo() throws Exception {
        master.close();
        master = startMaster(masterKey); // nothing stored: nothing sent

        assertThatThrownBy(() -> master.recover())
                .isInstanceOf(IOException.class)
                .hasMessage("none of the 3 live chunk servers holds a metadata copy");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
