package dfs.master.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dfs.common.config.DfsConfig;
import dfs.common.crypto.Bindings;
import dfs.common.crypto.IntegrityException;
import dfs.common.crypto.MasterKey;
import dfs.common.crypto.MasterKeyFile;
import dfs.common.crypto.PassphraseSource;
import dfs.common.tls.ClusterTls;
import dfs.master.Master;
import dfs.master.discovery.Discoveries;
import dfs.master.metadata.FileRecord;
import dfs.master.testing.TestCluster;
import dfs.master.transfer.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Master key rotation against a real three-server cluster: crash-safe at every step. */
class RekeyTest {
    private static final long SEED = System.nanoTime();
    private static final int FILES = 5;

    @TempDir
    Path dir;
    TestCluster cluster;
    Master master;
    Path keyFile;
    final Random random = new Random(SEED);
    final Map<String, byte[]> contents = new TreeMap<>();

    /** Thrown by the test hook: stands for the process dying between two files. */
    static final class SimulatedCrash extends IOException {
        SimulatedCrash(int after) {
            super("simulated crash after " + after + " files");
        }
    }

    @BeforeEach
    void start() throws IOException {
        System.err.println("RekeyTest random seed " + SEED);
        cluster = TestCluster.start(dir.resolve("servers"), 3);
        keyFile = dir.resolve("master.key");
    }

    @AfterEach
    void stop() throws IOException {
        if (master != null) {
            master.close();
        }
        cluster.close();
    }

    private Master startMaster(PassphraseSource passphrases) throws IOException {
        DfsConfig config = cluster.masterConfig(dir, Map.of());
        ClusterTls tls = ClusterTls.create(cluster.secret(), "dfs-master", Set.of());
        Master m = Master.start(config, new KeyFiles(keyFile, passphrases), Discoveries.fromConfig(config, tls), tls);
        m.awaitServers(cluster.size(), config.discoveryTimeout());
        return m;
    }

    private void restartMaster(PassphraseSource passphrases) throws IOException {
        master.close();
        master = startMaster(passphrases);
    }

    private void uploadFiles(int n) throws IOException {
        for (int i = 0; i < n; i++) {
            String name = "file-" + contents.size();
            byte[] data = new byte[1 + random.nextInt(200_000)];
            random.nextBytes(data);
            master.upload(Files.write(dir.resolve(name), data), name, Progress.NONE);
            contents.put(name, data);
        }
    }

    private void assertEveryFileDownloads() throws IOException {
        for (Map.Entry<String, byte[]> e : contents.entrySet()) {
            Path out = dir.resolve("out").resolve(e.getKey());
            Files.deleteIfExists(out);
            master.download(e.getKey(), out, Progress.NONE);
            assertThat(Files.readAllBytes(out)).as(e.getKey()).isEqualTo(e.getValue());
        }
    }

    private List<String> chunkFilesOnDisk() {
        List<String> all = new ArrayList<>();
        for (int i = 0; i < cluster.size(); i++) {
            cluster.chunkFiles(i).forEach(p -> all.add(p.toString()));
        }
        return all;
    }

    private static void assertOpensUnderNoRecord(MasterKey key, List<FileRecord> records) {
        for (FileRecord f : records) {
            assertThatThrownBy(() -> key.unwrap(f.wrappedKey(), Bindings.fileKey(f.fileId().hex(), f.size(),
                    f.chunkSize(), f.chunkCount(), f.sha256()), f.name()))
                    .as(f.name()).isInstanceOf(IntegrityException.class);
        }
    }

    private static void assertOpensEveryRecord(MasterKey key, List<FileRecord> records) throws IOException {
        for (FileRecord f : records) {
            key.unwrap(f.wrappedKey(), Bindings.fileKey(f.fileId().hex(), f.size(), f.chunkSize(), f.chunkCount(),
                    f.sha256()), f.name());
        }
    }

    @Test
    void rekeyRewrapsEveryFileAndLeavesOnlyTheNewKeyWithoutMovingAChunk() throws IOException {
        MasterKey old = MasterKeyFile.create(keyFile);
        master = startMaster(PassphraseSource.NONE);
        uploadFiles(FILES);
        List<String> chunksBefore = chunkFilesOnDisk();

        Rekey.Result result = master.rekey();

        assertThat(result.rewrapped()).isEqualTo(FILES);
        assertThat(keyFile.resolveSibling("master.key.next")).doesNotExist();
        assertOpensEveryRecord(MasterKeyFile.load(keyFile), master.list());
        assertOpensUnderNoRecord(old, master.list());
        assertThat(chunkFilesOnDisk()).containsExactlyInAnyOrderElementsOf(chunksBefore);
        assertEveryFileDownloads();
        restartMaster(PassphraseSource.NONE);
        assertEveryFileDownloads();
    }

    @Test
    void aRekeyInterruptedAfterSomeFilesLeavesEveryFileReadableAndARerunFinishesIt() throws IOException {
        MasterKey old = MasterKeyFile.create(keyFile);
        master = startMaster(PassphraseSource.NONE);
        uploadFiles(FILES);
        int k = 4; // two commits of two files each

        assertThatThrownBy(() -> master.rekey(new Rekey(new KeyFiles(keyFile, PassphraseSource.NONE), 2, done -> {
            if (done == k) {
                throw new SimulatedCrash(done);
            }
        }))).isInstanceOf(SimulatedCrash.class);

        Path next = keyFile.resolveSibling("master.key.next");
        assertThat(next).exists();
        assertEveryFileDownloads(); // the same master, holding both keys
        restartMaster(PassphraseSource.NONE);
        assertEveryFileDownloads(); // a master restarted from the files on disk
        MasterKey newKey = MasterKeyFile.load(next);

        Rekey.Result rerun = master.rekey();

        assertThat(rerun.rewrapped()).isEqualTo(FILES - k);
        assertThat(rerun.alreadyDone()).isEqualTo(k);
        assertThat(next).doesNotExist();
        assertOpensUnderNoRecord(old, master.list());
        assertOpensEveryRecord(newKey, master.list());
        assertOpensEveryRecord(MasterKeyFile.load(keyFile), master.list());
        restartMaster(PassphraseSource.NONE);
        assertEveryFileDownloads();
    }

    @Test
    void aRekeyInterruptedBeforeAnyFileLeavesEveryFileReadable() throws IOException {
        MasterKeyFile.create(keyFile);
        master = startMaster(PassphraseSource.NONE);
        uploadFiles(2);

        assertThatThrownBy(() -> master.rekey(new Rekey(new KeyFiles(keyFile, PassphraseSource.NONE), 1, done -> {
            throw new SimulatedCrash(done - 1);
        }))).isInstanceOf(SimulatedCrash.class);

        restartMaster(PassphraseSource.NONE);
        assertEveryFileDownloads();
    }

    @Test
    void filesUploadedWhileARotationIsPendingAreWrappedUnderTheKeyThatStays() throws IOException {
        MasterKey old = MasterKeyFile.create(keyFile);
        master = startMaster(PassphraseSource.NONE);
        uploadFiles(2);
        assertThatThrownBy(() -> master.rekey(new Rekey(new KeyFiles(keyFile, PassphraseSource.NONE), 1, done -> {
            throw new SimulatedCrash(done);
        }))).isInstanceOf(SimulatedCrash.class);
        restartMaster(PassphraseSource.NONE);

        uploadFiles(2);
        master.rekey();

        assertOpensUnderNoRecord(old, master.list());
        assertEveryFileDownloads();
    }

    @Test
    void aProtectedKeyIsRotatedUnderTheSamePassphraseAskedForOnce() throws IOException {
        char[] passphrase = "rotate me carefully".toCharArray();
        MasterKeyFile.create(keyFile, passphrase);
        AtomicInteger asked = new AtomicInteger();
        PassphraseSource counting = file -> {
            asked.incrementAndGet();
            return passphrase.clone();
        };
        master = startMaster(counting);
        uploadFiles(2);

        master.rekey();

        assertThat(asked).hasValue(1);
        assertThat(MasterKeyFile.isProtected(keyFile)).isTrue();
        restartMaster(PassphraseSource.of(passphrase));
        assertEveryFileDownloads();
    }

    @Test
    void aMasterStartedFromAKeyRatherThanKeyFilesCannotRekey() throws IOException {
        DfsConfig config = cluster.masterConfig(dir, Map.of());
        ClusterTls tls = ClusterTls.create(cluster.secret(), "dfs-master", Set.of());
        master = Master.start(config, MasterKey.generate(), Discoveries.fromConfig(config, tls), tls);

        assertThatThrownBy(() -> master.rekey()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("without its key files");
    }
}
