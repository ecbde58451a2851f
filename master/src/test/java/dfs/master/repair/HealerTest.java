package dfs.master.repair;

import static dfs.master.repair.HealingFixture.CHUNK;
import static org.assertj.core.api.Assertions.assertThat;

import dfs.common.crypto.Sha256;
import dfs.common.tls.ClusterTls;
import dfs.common.wire.ChunkId;
import dfs.common.wire.NodeId;
import dfs.master.cluster.ChunkClient;
import dfs.master.metadata.ChunkRecord;
import dfs.master.metadata.FileRecord;
import dfs.master.transfer.BadReplica;
import dfs.master.transfer.Progress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The master heals itself in the background: dead servers, returning servers, orphans, bad reads. */
class HealerTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    HealingFixture f;

    @AfterEach
    void stop() throws IOException {
        if (f != null) {
            f.close();
        }
    }

    private List<String> uploadSome(int files) throws IOException {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < files; i++) {
            String name = "file-" + i;
            f.upload(name, 7 * CHUNK + 100 * i);
            names.add(name);
        }
        return names;
    }

    private boolean everyChunkOn(Set<Integer> servers) {
        return f.master.list().stream().flatMap(r -> r.chunks().stream()).allMatch(c -> f.recordedAndStoredOn(c, servers));
    }

    @Test
    void theChunksOfADeadServerAreCopiedSoBothSurvivorsHoldEveryChunk() throws IOException {
        f = HealingFixture.start(dir, HealingFixture.automatic(Duration.ofSeconds(1)));
        List<String> names = uploadSome(4);
        long chunks = f.master.list().stream().mapToLong(FileRecord::chunkCount).sum();
        long onVictim = f.master.list().stream().flatMap(r -> r.chunks().stream())
                .filter(c -> c.servers().contains(f.nodes.get(0))).count();

        long t0 = System.nanoTime();
        f.cluster.kill(0);
        f.await("server 0 is dead", PATIENCE, () -> f.isDead(0));
        long detected = System.nanoTime();
        f.await("every chunk is on servers 1 and 2", PATIENCE, () -> everyChunkOn(Set.of(1, 2)));
        long healed = System.nanoTime();

        System.err.printf("MEASURED: %d of %d chunks (%d KiB each) had a replica on the killed server;"
                + " death to detection %d ms, death to full re-replication %d ms (heartbeat 200 ms, dead_after 1 s,"
                + " scan every 200 ms)%n", onVictim, chunks, CHUNK / 1024, (detected - t0) / 1_000_000,
                (healed - t0) / 1_000_000);
        for (String name : names) {
            assertThat(f.comesBackIntact(name)).as(name).isTrue();
        }
        assertThat(f.master.fsck(true).healthy()).isTrue();
        assertThat(f.master.status().healing().chunksCopied()).isEqualTo(onVictim);
    }

    @Test
    void aReturningServerLosesItsExtraCopiesAndTheChunksOfFilesDeletedWhileItWasAway() throws IOException {
        f = HealingFixture.start(dir, HealingFixture.automatic(Duration.ofSeconds(1)));
        List<String> names = uploadSome(3);
        FileRecord doomed = f.upload("doomed", 9 * CHUNK);
        assertThat(doomed.chunks()).as("precondition: server 0 holds some chunk of doomed")
                .anyMatch(c -> c.servers().contains(f.nodes.get(0)));
        f.cluster.kill(0);
        f.await("server 0 is dead", PATIENCE, () -> f.isDead(0));
        f.master.delete("doomed");
        f.await("every chunk is on servers 1 and 2", PATIENCE, () -> everyChunkOn(Set.of(1, 2)));
        assertThat(f.cluster.chunkFiles(0)).as("server 0's disk still has its old copies").isNotEmpty();

        f.cluster.restart(0);

        // the healer counts a deletion just after making it: wait for the disk and the counters together
        f.await("server 0 holds no chunk any more, its extra copies trimmed and its orphans deleted", PATIENCE,
                () -> f.cluster.chunkFiles(0).isEmpty()
                        && f.master.status().healing().extraCopiesTrimmed() > 0
                        && f.master.status().healing().orphansDeleted() > 0);
        assertThat(everyChunkOn(Set.of(1, 2))).as(f.describe()).isTrue();
        for (String name : names) {
            assertThat(f.comesBackIntact(name)).as(name).isTrue();
        }
    }

    @Test
    void theChunksOfAnUploadInProgressAreNeverCollectedWhileAnOrphanIs() throws Exception {
        f = HealingFixture.start(dir, HealingFixture.automatic(Duration.ofMillis(300)));
        FileRecord kept = f.upload("kept", CHUNK); // an empty metadata keeps every orphan (see below)
        Path source = f.randomFile("slow", 6 * CHUNK);
        CountDownLatch stored = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        Progress stalling = new Progress() {
            @Override
            public void advance(long bytes) {
                stored.countDown(); // a chunk is on its servers, not yet committed: hold the upload here
                try {
                    proceed.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        ExecutorService uploader = Executors.newSingleThreadExecutor();
        try {
            Future<FileRecord> upload = uploader.submit(() -> f.master.upload(source, "slow", stalling));
            stored.await();
            List<ChunkId> uploading = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                f.cluster.chunkFiles(i).forEach(p -> uploading.add(ChunkId.parse(p.getFileName().toString())));
            }
            uploading.removeAll(kept.chunks().stream().map(ChunkRecord::id).toList());
            assertThat(uploading).isNotEmpty();
            List<ChunkId> orphans = List.of(putOrphan(0), putOrphan(0), putOrphan(1)); // two go in one request

            f.await("the orphans are collected and counted", PATIENCE,
                    () -> orphans.stream().allMatch(o -> f.cluster.holders(o).isEmpty())
                            && f.master.status().healing().orphansDeleted() >= 3);
            assertThat(f.master.status().healing().orphansDeleted()).isEqualTo(3);

            for (ChunkId id : uploading) {
                assertThat(f.cluster.holders(id)).as("chunk %s of the upload in progress", id).isNotEmpty();
            }
            proceed.countDown();
            FileRecord done = upload.get();
            assertThat(done.chunks()).extracting(ChunkRecord::id).containsAll(uploading);
            assertThat(f.comesBackIntact("slow")).isTrue();
            assertThat(f.everyChunkOnTwoRecordedServers()).as(f.describe()).isTrue();
        } finally {
            proceed.countDown();
            uploader.shutdownNow();
        }
    }

    @Test
    void anEmptyMetadataCollectsNoOrphanSinceItMayBeOneTheMasterLost() throws Exception {
        f = HealingFixture.start(dir, HealingFixture.automatic(Duration.ofMillis(300)));
        ChunkId orphan = putOrphan(0);
        long scans = f.master.status().healing().scans();

        // scans every 200 ms, a grace of 300 ms: eight scans span it more than four times over
        f.await("eight scans since the orphan was stored", PATIENCE, () -> f.master.status().healing().scans() >= scans + 8);

        assertThat(f.cluster.holders(orphan)).as("the orphan of an empty metadata").isNotEmpty();
        assertThat(f.master.status().healing().orphansDeleted()).isZero();
    }

    /** Stores a chunk no file refers to on server {@code i}, as a crashed upload would leave. */
    private ChunkId putOrphan(int i) throws Exception {
        ExecutorService io = Executors.newCachedThreadPool();
        try (ChunkClient client = new ChunkClient(ClusterTls.create(f.cluster.secret(), "dfs-test", Set.of()),
                Duration.ofSeconds(10), io)) {
            ChunkId id = ChunkId.random();
            byte[] bytes = new byte[1000];
            f.random.nextBytes(bytes);
            client.put(new InetSocketAddress("127.0.0.1", f.cluster.port(i)), id, bytes, Sha256.hex(bytes)).get();
            return id;
        } finally {
            io.shutdownNow();
        }
    }

    @Test
    void aDownloadThatMetACorruptReplicaGetsThatChunkRepaired() throws IOException {
        f = HealingFixture.start(dir, HealingFixture.automatic(Duration.ofSeconds(1)));
        ChunkRecord first = f.upload("rot", 3 * CHUNK).chunks().get(0);
        // replicas are tried in recorded order while all are live: rot the one read first
        int victim = f.indexOf(first.servers().get(0));
        int survivor = f.indexOf(first.servers().get(1));
        f.flipAByte(victim, first);

        List<BadReplica> bad = f.master.download("rot", dir.resolve("rot.out"), Progress.NONE);
        assertThat(bad).singleElement().extracting(BadReplica::node).isEqualTo(f.nodes.get(victim));

        int third = 3 - victim - survivor;
        f.await("chunk 0 is on the survivor and the third server, and gone from the corrupt one", PATIENCE,
                () -> f.recordedAndStoredOn(f.record("rot").chunks().get(0), Set.of(survivor, third))
                        && f.cluster.chunkFile(victim, first.id()).isEmpty());
        assertThat(f.master.fsck(true).healthy()).isTrue();
        assertThat(f.comesBackIntact("rot")).isTrue();
    }

    @Test
    void aSuspectServerIsNotAbandonedBeforeDeadAfter() throws IOException {
        f = HealingFixture.start(dir, HealingFixture.automatic(Duration.ofSeconds(1)),
                java.util.Map.of(dfs.common.config.DfsConfig.DEAD_AFTER, "60s"));
        uploadSome(2);
        List<FileRecord> before = f.master.list();
        f.cluster.kill(0);
        f.master.refresh();
        long scans = f.master.status().healing().scans();
        f.await("two scans while server 0 is silent", PATIENCE, () -> f.master.status().healing().scans() >= scans + 2);

        assertThat(f.master.status().healing().underReplicatedChunks()).as("the scans saw it").isPositive();
        assertThat(f.master.status().healing().chunksCopied()).isZero();
        assertThat(f.master.list()).isEqualTo(before);
    }
}
