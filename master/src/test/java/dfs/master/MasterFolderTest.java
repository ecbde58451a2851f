package dfs.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dfs.common.config.DfsConfig;
import dfs.common.crypto.MasterKey;
import dfs.common.tls.ClusterTls;
import dfs.master.discovery.Discoveries;
import dfs.master.metadata.FileRecord;
import dfs.master.placement.NotEnoughServersException;
import dfs.master.testing.CancellingProgress;
import dfs.master.testing.TestCluster;
import dfs.master.transfer.Progress;
import dfs.master.transfer.TransferCancelledException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Folder uploads and downloads through the master, against a real three-server cluster. */
class MasterFolderTest {
    private static final long SEED = System.nanoTime();

    @TempDir
    Path dir;
    TestCluster cluster;
    Master master;
    Random random = new Random(SEED);

    @BeforeEach
    void start() throws IOException {
        System.err.println("MasterFolderTest random seed " + SEED);
        cluster = TestCluster.start(dir.resolve("servers"), 3);
        DfsConfig config = cluster.masterConfig(dir, Map.of());
        ClusterTls tls = ClusterTls.create(cluster.secret(), "dfs-master", Set.of());
        master = Master.start(config, MasterKey.generate(), Discoveries.fromConfig(config, tls), tls);
        master.awaitServers(cluster.size(), config.discoveryTimeout());
    }

    @AfterEach
    void stop() throws IOException {
        if (master != null) {
            master.close();
        }
        cluster.close();
    }

    private Path file(Path path, int size) throws IOException {
        byte[] data = new byte[size];
        random.nextBytes(data);
        Files.createDirectories(path.getParent());
        return Files.write(path, data);
    }

    /** photos/{a.jpg, 2024/b.jpg, 2024/deep/c.raw, empty} */
    private Path photos() throws IOException {
        Path photos = dir.resolve("in/photos");
        file(photos.resolve("a.jpg"), 1000);
        file(photos.resolve("2024/b.jpg"), 200_000);
        file(photos.resolve("2024/deep/c.raw"), 70_000);
        file(photos.resolve("empty"), 0);
        return photos;
    }

    @Test
    void aFolderIsStoredUnderItsNameWithRelativePaths() throws IOException {
        Master.FolderTransfer t = master.uploadFolder(photos(), "photos", Progress.NONE);
        assertThat(t.files()).extracting(FileRecord::name).containsExactly(
                "photos/2024/b.jpg", "photos/2024/deep/c.raw", "photos/a.jpg", "photos/empty");
        assertThat(t.bytes()).isEqualTo(271_000);
        assertThat(master.list()).extracting(FileRecord::name).containsExactlyInAnyOrder(
                "photos/2024/b.jpg", "photos/2024/deep/c.raw", "photos/a.jpg", "photos/empty");
    }

    @Test
    void aFolderComesBackByteForByteUnderTheDestination() throws IOException {
        Path photos = photos();
        master.uploadFolder(photos, "photos", Progress.NONE);
        Path out = dir.resolve("out");
        Master.FolderTransfer t = master.downloadFolder("photos", out, Progress.NONE);
        assertThat(t.files()).hasSize(4);
        for (String rel : List.of("a.jpg", "2024/b.jpg", "2024/deep/c.raw", "empty")) {
            assertThat(Files.readAllBytes(out.resolve("photos").resolve(rel)))
                    .as(rel).isEqualTo(Files.readAllBytes(photos.resolve(rel)));
        }
    }

    @Test
    void aSubfolderPrefixDownloadsOnlyTheFilesUnderIt() throws IOException {
        master.uploadFolder(photos(), "photos", Progress.NONE);
        master.upload(file(dir.resolve("photos2024.txt"), 10), "photos/2024.txt", Progress.NONE);
        Path out = dir.resolve("out");
        Master.FolderTransfer t = master.downloadFolder("photos/2024", out, Progress.NONE);
        assertThat(t.files()).extracting(FileRecord::name)
                .containsExactly("photos/2024/b.jpg", "photos/2024/deep/c.raw");
        assertThat(out.resolve("photos/a.jpg")).doesNotExist();
        assertThat(out.resolve("photos/2024.txt")).doesNotExist();
    }

    @Test
    void aPrefixGivenWithAsReplacesTheFolderName() throws IOException {
        master.uploadFolder(photos(), "backup/pics", Progress.NONE);
        assertThat(master.list()).extracting(FileRecord::name).allMatch(n -> n.startsWith("backup/pics/"));
    }

    @Test
    void progressCoversTheWholeFolderOnce() throws IOException {
        AtomicLong total = new AtomicLong();
        AtomicLong advanced = new AtomicLong();
        AtomicLong starts = new AtomicLong();
        master.uploadFolder(photos(), "photos", new Progress() {
            @Override
            public void start(String what, long totalBytes) {
                starts.incrementAndGet();
                total.set(totalBytes);
            }

            @Override
            public void advance(long bytes) {
                advanced.addAndGet(bytes);
            }
        });
        assertThat(starts.get()).isEqualTo(1);
        assertThat(total.get()).isEqualTo(271_000);
        assertThat(advanced.get()).isEqualTo(271_000);
    }

    @Test
    void anInvalidNameStopsTheUploadBeforeAnythingIsStored() throws IOException {
        Path photos = photos();
        file(photos.resolve("bad:name.txt"), 10);
        assertThatThrownBy(() -> master.uploadFolder(photos, "photos", Progress.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad:name.txt").hasMessageContaining("cannot be stored");
        assertThat(master.list()).isEmpty();
    }

    @Test
    void anInvalidPrefixIsRefused() throws IOException {
        Path photos = photos();
        assertThatThrownBy(() -> master.uploadFolder(photos, "../up", Progress.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("../up");
        assertThat(master.list()).isEmpty();
    }

    @Test
    void aFolderTooFewServersAreLeftForIsRefusedBeforeAnyFileIsStored() throws IOException {
        Path photos = photos();
        cluster.kill(1);
        cluster.kill(2);
        master.refresh();
        assertThatThrownBy(() -> master.uploadFolder(photos, "photos", Progress.NONE))
                .isInstanceOf(NotEnoughServersException.class)
                .hasMessageStartingWith("need 2 live chunk servers for replication factor 2, but 1 is available");
        assertThat(master.list()).isEmpty();
        assertThat(cluster.allChunkFiles()).isEmpty();
    }

    @Test
    void aFailingFileStopsTheUploadNamingIt() throws IOException {
        master.close();
        cluster.close();
        // written first: files written on the shared disk later would shrink what the servers report
        Path big = dir.resolve("in/big");
        for (int i = 0; i < 4; i++) {
            file(big.resolve(i + ".bin"), 8 << 20);
        }
        // three servers on one disk that the master takes for three machines, each reporting about
        // 28 MiB free: by their reports room for two copies of 42 MiB, so the 32 MiB folder starts;
        // the disk they share takes only 28 MiB in all
        cluster = TestCluster.startSharingFreeSpace(dir.resolve("small"), List.of("127.0.0.2", "127.0.0.3", "127.0.0.4"),
                28L << 20);
        DfsConfig config = cluster.masterConfig(dir, Map.of());
        ClusterTls tls = ClusterTls.create(cluster.secret(), "dfs-master", Set.of());
        master = Master.start(config, MasterKey.generate(), Discoveries.fromConfig(config, tls), tls);
        master.awaitServers(cluster.size(), config.discoveryTimeout());

        assertThatThrownBy(() -> master.uploadFolder(big, "big", Progress.NONE))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("folder upload stopped at " + big.resolve(""))
                .hasMessageContaining(" of 4 files: no live chunk server has room left for chunk ");
    }

    @Test
    void aFailingFileStopsTheDownloadNamingIt() throws IOException {
        master.uploadFolder(photos(), "photos", Progress.NONE);
        cluster.kill(0);
        cluster.kill(1);
        cluster.kill(2);
        assertThatThrownBy(() -> master.downloadFolder("photos", dir.resolve("out"), Progress.NONE))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("folder download stopped at photos/2024/b.jpg after 0 of 4 files");
    }

    /** album/00.bin .. album/39.bin, of two chunks or so each. */
    private Path album() throws IOException {
        Path album = dir.resolve("in/album");
        for (int i = 0; i < 40; i++) {
            file(album.resolve(String.format("%02d.bin", i)), 100_000 + i);
        }
        return album;
    }

    private static int cancelledAfter(Throwable e, String what) {
        Matcher m = Pattern.compile("folder " + what + " of album/ cancelled after (\\d+) of 40 files; those stay (stored|written)")
                .matcher(e.getMessage());
        assertThat(m.matches()).as(e.getMessage()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    @Test
    void aCancelledFolderUploadKeepsTheFilesItFinishedAndNoChunkOfTheOthers() throws IOException {
        Path album = album();
        Throwable e = catchThrowable(
                () -> master.uploadFolder(album, "album", CancellingProgress.after(500_000)));

        assertThat(e).isInstanceOf(TransferCancelledException.class);
        int kept = cancelledAfter(e, "upload");
        assertThat(kept).isLessThan(40);
        assertThat(master.list()).hasSize(kept);
        long replicas = 0;
        for (FileRecord f : master.list()) {
            Path back = dir.resolve("out").resolve(f.name());
            master.download(f.name(), back, Progress.NONE);
            assertThat(back).hasSameBinaryContentAs(album.resolve(f.name().substring("album/".length())));
            replicas += f.chunks().stream().mapToLong(c -> c.servers().size()).sum();
        }
        long onDisk = cluster.allChunkFiles().size();
        assertThat(onDisk).as("chunk files on the servers: those of the kept files only").isEqualTo(replicas);
    }

    @Test
    void aCancelledFolderDownloadLeavesOnlyWholeFiles() throws IOException {
        Path album = album();
        master.uploadFolder(album, "album", Progress.NONE);
        Path out = dir.resolve("out");

        Throwable e = catchThrowable(
                () -> master.downloadFolder("album", out, CancellingProgress.after(500_000)));

        assertThat(e).isInstanceOf(TransferCancelledException.class);
        int written = cancelledAfter(e, "download");
        assertThat(written).isLessThan(40);
        List<Path> left;
        try (var files = Files.walk(out)) {
            left = files.filter(Files::isRegularFile).toList();
        }
        assertThat(left).hasSize(written);
        for (Path p : left) {
            assertThat(p).hasSameBinaryContentAs(album.resolve(p.getFileName()));
        }
    }

    @Test
    void aPrefixWithoutFilesIsNoSuchFile() {
        assertThatThrownBy(() -> master.downloadFolder("nothing", dir.resolve("out"), Progress.NONE))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining("nothing/");
    }

    @Test
    void symbolicLinksAreNotFollowed() throws IOException {
        Path photos = photos();
        Path outside = file(dir.resolve("outside/secret.txt"), 10);
        Files.createSymbolicLink(photos.resolve("link.txt"), outside);
        Files.createSymbolicLink(photos.resolve("linkdir"), outside.getParent());
        Master.FolderTransfer t = master.uploadFolder(photos, "photos", Progress.NONE);
        assertThat(t.files()).extracting(FileRecord::name).noneMatch(n -> n.contains("link"));
    }
}
