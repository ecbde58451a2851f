package dfs.chunkserver.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dfs.common.testing.TestData;
import dfs.common.wire.ChunkId;
import dfs.common.wire.ChunkListing;
import dfs.common.wire.MasterId;
import dfs.common.wire.Protocol;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The master's metadata copy on a chunk server: opaque, replaced whole, never a chunk. */
class MetadataCopyStoreTest {
    /** Copies sent without a master id, as a master of an earlier version sends them. */
    private static final Optional<MasterId> NO_SENDER = Optional.empty();

    @TempDir
    Path root;

    @Test
    void aStoredCopyReadsBackAsSentFromItsOneFile() throws Exception {
        ChunkStore store = ChunkStore.openAt(root);
        byte[] copy = bytes(300_000, 1);

        replace(store, copy);

        assertThat(read(store)).isEqualTo(copy);
        assertThat(root.resolve("metadata-copy")).hasBinaryContent(copy);
        assertThat(tmpFiles()).isEmpty();
    }

    @Test
    void aStoreWithoutACopyOpensEmpty() throws Exception {
        assertThat(ChunkStore.openAt(root).metadataCopy().open()).isEmpty();
    }

    @Test
    void aNewCopyReplacesTheOneHeldBefore() throws Exception {
        ChunkStore store = ChunkStore.openAt(root);
        replace(store, bytes(5000, 2));
        byte[] newer = bytes(70, 3);

        replace(store, newer);

        assertThat(read(store)).isEqualTo(newer);
    }

    @Test
    void theCopySurvivesReopeningTheStore() throws Exception {
        byte[] copy = bytes(1000, 4);
        replace(ChunkStore.openAt(root), copy);

        assertThat(read(ChunkStore.openAt(root))).isEqualTo(copy);
    }

    @Test
    void aBodyShorterThanDeclaredIsRefusedAndTheCopyHeldBeforeIsKept() throws Exception {
        ChunkStore store = ChunkStore.openAt(root);
        byte[] held = bytes(1000, 5);
        replace(store, held);

        assertThatThrownBy(() -> store.metadataCopy().replace(2000, new ByteArrayInputStream(bytes(1500, 6)), NO_SENDER))
                .isInstanceOfSatisfying(LengthMismatchException.class, e -> {
                    assertThat(e.expectedBytes()).isEqualTo(2000);
                    assertThat(e.receivedBytes()).isEqualTo(1500);
                })
                .hasMessage("metadata copy: body ended after 1500 of the declared 2000 bytes; nothing stored");
        assertThat(read(store)).isEqualTo(held);
        assertThat(tmpFiles()).isEmpty();
    }

    @Test
    void aBodyLongerThanDeclaredIsRefusedAndTheCopyHeldBeforeIsKept() throws Exception {
        ChunkStore store = ChunkStore.openAt(root);
        byte[] held = bytes(1000, 7);
        replace(store, held);

        assertThatThrownBy(() -> store.metadataCopy().replace(99, new ByteArrayInputStream(bytes(100, 8)), NO_SENDER))
                .isInstanceOf(LengthMismatchException.class)
                .hasMessageContaining("longer than the declared 99 bytes");
        assertThat(read(store)).isEqualTo(held);
        assertThat(tmpFiles()).isEmpty();
    }

    @Test
    void aCopyThatWouldEatIntoTheReserveIsRefusedUnreadAsDiskFull() throws Exception {
        ChunkStore store = ChunkStore.openAt(root, Long.MAX_VALUE / 2);

        assertThatThrownBy(() -> store.metadataCopy().replace(10, unreadable(), NO_SENDER))
                .isInstanceOf(DiskFullException.class)
                .hasMessageMatching("no room for a 10 B metadata copy in " + java.util.regex.Pattern.quote(root.toString())
                        + ": [0-9.]+ [KMGTPE]iB usable, 4\\.0 EiB kept in reserve; free space there; until then"
                        + " the server keeps the copy it held before");
        assertThat(store.metadataCopy().open()).isEmpty();
        assertThat(tmpFiles()).isEmpty();
    }

    @Test
    void aCopyLargerThanTheProtocolAllowsIsRefusedUnread() throws Exception {
        ChunkStore store = ChunkStore.openAt(root);

        assertThatThrownBy(() -> store.metadataCopy().replace(Protocol.MAX_METADATA_COPY_BYTES + 1, unreadable(), NO_SENDER))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.valueOf(Protocol.MAX_METADATA_COPY_BYTES));
    }

    @Test
    void aCopyThatEndsAfterALaterOneIsStoredIsDroppedSoTheNewerOneStays() throws Exception {
        ChunkStore store = ChunkStore.openAt(root);
        byte[] older = bytes(10_000, 9);
        byte[] newer = bytes(10_000, 10);
        CountDownLatch olderReading = new CountDownLatch(1);
        CountDownLatch newerStored = new CountDownLatch(1);
        InputStream slowOlder = new ByteArrayInputStream(older) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                olderReading.countDown();
                await(newerStored);
                return super.read(b, off, len);
            }
        };
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> olderPut = pool.submit(() -> {
                store.metadataCopy().replace(older.length, slowOlder, NO_SENDER);
                return null;
            });
            await(olderReading);
            replace(store, newer);
            newerStored.countDown();
            olderPut.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }

        assertThat(read(store)).isEqualTo(newer);
        assertThat(tmpFiles()).isEmpty();
    }

    @Test
    void theCopyIsNoChunkToListCountOrScrub() throws Exception {
        ChunkStore store = ChunkStore.openAt(root);
        ChunkId chunk = Damage.store(store, 1000, 11);
        replace(store, bytes(4000, 12));

        new Scrubber(store, new ScrubPolicy(Duration.ofHours(1), 1L << 40, Duration.ZERO), Clock.systemUTC(),
                pause -> { }).runPass();

        assertThat(store.list()).containsExactly(new ChunkListing.Entry(chunk, 1000));
        assertThat(store.count()).isEqualTo(1);
        assertThat(store.usedBytes()).isEqualTo(1000);
        assertThat(store.scrubSummary().chunksScrubbed()).isEqualTo(1);
        assertThat(store.scrubSummary().corruptFound()).isZero();
        ChunkStore reopened = ChunkStore.openAt(root);
        assertThat(reopened.count()).as("counted again at start").isEqualTo(1);
        assertThat(reopened.usedBytes()).isEqualTo(1000);
    }

    @Test
    void anUnfinishedCopyIsRemovedAtStartAndTheOneHeldBeforeKept() throws Exception {
        byte[] held = bytes(100, 13);
        replace(ChunkStore.openAt(root), held);
        Files.write(root.resolve("tmp/metadata-copy.123.tmp"), bytes(50, 14));

        ChunkStore store = ChunkStore.openAt(root);

        assertThat(tmpFiles()).isEmpty();
        assertThat(read(store)).isEqualTo(held);
    }

    private static void replace(ChunkStore store, byte[] copy) throws IOException {
        store.metadataCopy().replace(copy.length, new ByteArrayInputStream(copy), NO_SENDER);
    }

    private static byte[] read(ChunkStore store) throws IOException {
        try (FileChannel copy = store.metadataCopy().open().orElseThrow()) {
            return Channels.newInputStream(copy).readAllBytes();
        }
    }

    private static InputStream unreadable() {
        return new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("the body of a refused metadata copy must not be read");
            }
        };
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new AssertionError("gave up waiting for the other put");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private List<Path> tmpFiles() throws IOException {
        try (Stream<Path> files = Files.list(root.resolve("tmp"))) {
            return files.toList();
        }
    }

    private static byte[] bytes(int n, int salt) {
        return TestData.bytes(n, salt);
    }
}
