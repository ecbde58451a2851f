package dfs.chunkserver.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dfs.common.testing.TestData;
import dfs.common.wire.ChunkDeletion;
import dfs.common.wire.ChunkId;
import dfs.common.wire.ChunkListing;
import dfs.common.wire.Crc32c;
import dfs.common.wire.NodeId;
import dfs.common.wire.Protocol;
import dfs.common.wire.StoredChunk;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ChunkStoreTest {
    @TempDir
    Path root;

    @Test
    void storedChunkReadsBackWithItsLengthAndHash() throws Exception {
        ChunkStore store = ChunkStore.openAt(root);
        byte[] data = bytes(200_000, 1);
        ChunkId id = ChunkId.random();

        PutResult result = put(store, id, data);

        assertThat(result.existed()).isFalse();
        assertThat(result.chunk().id()).isEqualTo(id);
        assertThat(result.chunk().size()).isEqualTo(data.length);
        assertThat(result.chunk().sha256()).isEqualTo(sha256(data));
        try (OpenChunk chunk = store.open(id).orElseThrow()) {
            assertThat(chunk.length()).isEqualTo(data.length);
            assertThat(chunk.sha256()).isEqualTo(sha256(data));
            assertThat(chunk.payloadStream().readAllBytes()).isEqualTo(data);
        }
    }

    @Test
    void emptyChunkIsStoredAndReadBack() throws Exception {
        ChunkStore store = ChunkStore.openAt(root);
        ChunkId id = ChunkId.random();

        put(store, id, new byte[0]);

        try (OpenChunk chunk = store.open(id).orElseThrow()) {
            assertThat(chunk.payloadStream().readAllBytes()).isEmpty();
        }
    }

    @Test
    void chunkFileHasTheDocumentedLayout() throws Exception {
        ChunkStore store = ChunkStore.openAt(root);
        byte[] data = "sealed bytes".getBytes(StandardCharsets.US_ASCII);
        ChunkId id = ChunkId.parse("0123456789abcdef0123456789abcdef");

        put(store, id, data);

        byte[] file = Files.readAllBytes(root.resolve("chunks/01/0123456789abcdef0123456789abcdef"));
        ByteBuffer expected = ByteBuffer.allocate(64 + data.length)
                .put("DFSC".getBytes(StandardCharsets.US_ASCII))
                .putShort((short) 1)
                .putShort((short) 0)
                .putLong(data.length)
                .put(HexFormat.of().parseHex(id.hex()))
                .put(HexFormat.of().parseHex(sha256(data)))
                .put(data);
        assertThat(file).isEqualTo(expected.array());
    }

    @Test
    void repeatingAPutWithTheSameBytesReportsThatItExisted() throws Exception {
        ChunkStore store = ChunkStore.openAt(root);
        byte[] data = bytes(1000, 2);
        ChunkId id = ChunkId.random();
        put(store, id, data);

        PutResult again = put(store, id, data);

        assertThat(again.existed()).isTrue();
        assertThat(again.chunk().sha256()).isEqualTo(sha256(data));
        assertThat(store.count()).isEqualTo(1);
        assertThat(store.usedBytes()).isEqualTo(data.length);
    }

    @Test
    void differentBytesUnderAStoredIdAreAConflict() throws Exception {
        ChunkStore store = ChunkStore.openAt(root);
        byte[] first = bytes(1000, 3);
        byte[] second = bytes(1000, 4);
        ChunkId id = ChunkId.random();
        put(store, id, first);

        assertThatThrownBy(() -> put(store, id, second))
                .isInstanceOfSatisfying(ChunkConflictException.class, e -> {
                    assertThat(e.storedSha256()).isEqualTo(sha256(first));
                    assertThat(e.offeredSha256()).isEqualTo(sha256(second));
                })
                .hasMessageContaining(id.hex());
        assertThat(read(store, id)).isEqualTo(first);
        assertThat(tmpFiles()).isEmpty();
    }

    @Test
    void bodyWhoseHashDiffersFromTheClaimIsRefusedAndNothingKept() throws Exception {
        ChunkStore store = ChunkStore.openAt(root);
        byte[] data = bytes(5000, 5);
        String claimed = sha256(bytes(5000, 6));
        ChunkId id = ChunkId.random();

        assertThatThrownBy(() -> store.put(id, claimed, data.length, new ByteArrayInputStream(data)))
                .isInstanceOfSatisfying(HashMismatchException.class, e -> {
                    assertThat(e.expected()).isEqualTo(claimed);
                    assertThat(e.actual()).isEqualTo(sha256(data));
                });
        assertThat(store.open(id)).isEmpty();
        assertThat(store.count()).isZero();
        assertThat(tmpFiles()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Body.class)
    void bodyGivenWithItsCrc32cIsCheckedAgainstThatAndKeptUnderTheClaimedHash(Body kind) throws Exception {
        ChunkStore store = ChunkStore.openAt(root);
        byte[] data = bytes(300_000, 20);
        ChunkId id = ChunkId.random();

        PutResult result = store.put(id, sha256(data), Crc32c.hex(data), data.length, kind.of(data));

        assertThat(result.chunk()).isEqualTo(new StoredChunk(id, data.length, sha256(data)));
        assertThat(read(store, id)).isEqualTo(data);
        assertThat(store.verify(id).status()).isEqualTo(VerifyResult.Status.OK);
    }

    @ParameterizedTest
    @EnumSource(Body.class)
    void bodyWhoseCrc32cDiffersFromTheSendersIsRefusedAndNothingKept(Body kind) throws Exception {
        ChunkStore store = ChunkStore.openAt(root);
        byte[] data = bytes(5000, 21);
        String given = Crc32c.hex(bytes(5000, 22));
        ChunkId id = ChunkId.random();

        assertThatThrownBy(() -> store.put(id, sha256(data), given, data.length, kind.of(data)))
                .isInstanceOfSatisfying(HashMismatchException.class, e -> {
                    assertThat(e.expected()).isEqualTo(given);
                    assertThat(e.actual()).isEqualTo(Crc32c.hex(data));
                })
                .hasMessageContaining("CRC-32C");
        assertThat(store.open(id)).isEmpty();
        assertThat(store.count()).isZero();
        assertThat(tmpFiles()).isEmpty();
    }

    @Test
    void malformedCrc32cIsRefusedBeforeAnythingIsRead() throws Exception {
        ChunkStore store = ChunkStore.openAt(root);
        ChunkId id = ChunkId.random();

        assertThatThrownBy(() -> store.put(id, sha256(new byte[0]), "CAFEBABE", 0, unreadable()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CRC-32C");
        assertThat(tmpFiles()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Body.class)
    void bodyShorterThanDeclaredIsRefusedAndNothingKept(Body kind) throws Exception {
        ChunkStore store = ChunkStore.openAt(root);
        byte[] data = bytes(100, 7);
        ChunkId id = ChunkId.random();

        assertThatThrownBy(() -> store.put(id, sha256(data), 101, kind.of(data)))
                .isInstanceOfSatisfying(LengthMismatchException.class, e -> {
                    assertThat(e.expectedBytes()).isEqualTo(101);
                    assertThat(e.receivedBytes()).isEqualTo(100);
                });
        assertThat(store.open(id)).isEmpty();
        assertThat(tmpFiles()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Body.class)
    void bodyLongerThanDeclaredIsRefusedAndNothingKept(Body kind) throws Exception {
        ChunkStore store = ChunkStore.openAt(root);
        byte[] data = bytes(100, 8);
        ChunkId id = ChunkId.random();

        assertThatThrownBy(() -> store.put(id, sha256(data), 99, kind.of(data)))
                .isInstanceOf(LengthMismatchException.class)
                .hasMessageContaining("longer than the declared 99 bytes");
        assertThat(store.open(id)).isEmpty();
        assertThat(tmpFiles()).isEmpty();
    }

    @Test
    void bodyThatBreaksOffIsRefusedAndNothingKept() throws Exception {
        ChunkStore store = ChunkStore.openAt(root);
        byte[] data = bytes(10_000, 9);
        ChunkId id = ChunkId.random();
        InputStream breaking = new InputStream() {
            private int served;

            @Override
            public int read() throws IOException {
                if (served == 4000) {
                    throw new IOException("connection reset");
                }
                return data[served++] & 0xff;
            }
        };

        assertThatThrownBy(() -> store.put(id, sha256(data), data.length, breaking))
                .isInstanceOfSatisfying(LengthMismatchException.class,
                        e -> assertThat(e.receivedBytes()).isEqualTo(4000))
                .hasCauseInstanceOf(IOException.class);
        assertThat(store.open(id)).isEmpty();
        assertThat(tmpFiles()).isEmpty();
    }

    @Test
    void aBodyThatIsAlsoAChannelIsReadIntoBuffersAndStoredAlike() throws Exception {
        ChunkStore store = ChunkStore.openAt(root);
        byte[] data = bytes(600_000, 23); // more than two of the store's 256 KiB buffers
        ChunkId id = ChunkId.random();
        ChannelBody body = new ChannelBody(data);

        store.put(id, sha256(data), Crc32c.hex(data), data.length, body);

        assertThat(read(store, id)).isEqualTo(data);
        assertThat(store.verify(id).status()).isEqualTo(VerifyResult.Status.OK);
        assertThat(body.bufferReads).isGreaterThan(data.length / ChannelBody.PIECE);
        assertThat(body.arrayReads).isZero();
    }

    /** The two kinds of body the store reads: a plain stream, and one that also fills buffers. */
    enum Body {
        STREAM {
            @Override
            InputStream of(byte[] data) {
                return new ByteArrayInputStream(data);
            }
        },
        CHANNEL {
            @Override
            InputStream of(byte[] data) {
                return new ChannelBody(data);
            }
        };

        abstract InputStream of(byte[] data);
    }

    /** A body that can also fill buffers, as a request's does, a piece per read; counts both kinds of read. */
    private static final class ChannelBody extends InputStream implements ReadableByteChannel {
        static final int PIECE = 7000;
        private final ByteBuffer left;
        int bufferReads;
        int arrayReads;

        ChannelBody(byte[] data) {
            this.left = ByteBuffer.wrap(data);
        }

        @Override
        public int read(ByteBuffer dst) {
            bufferReads++;
            if (!left.hasRemaining()) {
                return -1;
            }
            int n = Math.min(PIECE, Math.min(dst.remaining(), left.remaining()));
            dst.put(left.slice(left.position(), n));
            left.position(left.position() + n);
            return n;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            arrayReads++;
            int n = Math.min(len, left.remaining());
            left.get(b, off, n);
            return n == 0 && len > 0 ? -1 : n;
        }

        @Override
        public int read() {
            return left.hasRemaining() ? left.get() & 0xff : -1;
        }

        @Override
        public boolean isOpen() {
            return true;
        }
    }

    @Test
    void chunkLargerThanTheProtocolAllowsIsRefusedUnread() throws Exception {
        ChunkStore store = ChunkStore.openAt(root);
        ChunkId id = ChunkId.random();

        assertThatThrownBy(() -> store.put(id, sha256(new byte[0]), Protocol.MAX_CHUNK_BYTES + 1, unreadable()))
                .isInstanceOfSatisfying(ChunkTooLargeException.class,
                        e -> assertThat(e.maxLength()).isEqualTo(Protocol.MAX_CHUNK_BYTES));
    }

    @Test
    void malformedHashIsRefused() throws Exception {
        ChunkStore store = ChunkStore.openAt(root);
        byte[] data = bytes(10, 10);

        assertThatThrownBy(() -> store.put(ChunkId.random(), sha256(data).toUpperCase(), data.length,
                new ByteArrayInputStream(data)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("64 lowercase hex digits");
    }

    @Test
    void negativeLengthIsRefused() throws Exception {
        ChunkStore store = ChunkStore.openAt(root);

        assertThatThrownBy(() -> store.put(ChunkId.random(), sha256(new byte[0]), -1,
                new ByteArrayInputStream(new byte[0])))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative length");
    }

    @Test
    void putThatWouldEatIntoTheReserveIsRefusedAsDiskFull() throws Exception {
        ChunkStore store = ChunkStore.openAt(root, Long.MAX_VALUE / 2);
        byte[] data = bytes(10, 11);
        ChunkId id = ChunkId.random();

        assertThatThrownBy(() -> put(store, id, data))
                .isInstanceOfSatisfying(DiskFullException.class,
                        e -> assertThat(e.reserveBytes()).isEqualTo(Long.MAX_VALUE / 2))
                .hasMessageMatching("no room for a \\d+ B chunk in " + java.util.regex.Pattern.quote(root.toString())
                        + ": [0-9.]+ [KMGTPE]iB usable, 4\\.0 EiB kept in reserve; free space there or add a chunk server");
        assertThat(store.open(id)).isEmpty();
        assertThat(tmpFiles()).isEmpty();
    }

    @Test
    void freeSpaceIsWhatTheDiskHasBeyondTheReserve() throws Exception {
        long usable = Files.getFileStore(root).getUsableSpace();

        assertThat(ChunkStore.openAt(root, Long.MAX_VALUE / 2).freeBytes()).isZero();
        // other writers on this disk may change its usable space meanwhile: within 256 MiB
        assertThat(ChunkStore.openAt(root, 1L << 30).freeBytes())
                .isCloseTo(Math.max(0, usable - (1L << 30)), org.assertj.core.api.Assertions.within(256L << 20));
    }

    @Test
    void deleteRemovesAStoredChunk() throws Exception {
        ChunkStore store = ChunkStore.openAt(root);
        ChunkId id = ChunkId.random();
        put(store, id, bytes(100, 12));

        assertThat(store.delete(id)).isTrue();

        assertThat(store.open(id)).isEmpty();
        assertThat(store.verify(id).status()).isEqualTo(VerifyResult.Status.MISSING);
    }

    @Test
    void deletingAnAbsentChunkReportsFalse() throws Exception {
        ChunkStore store = ChunkStore.openAt(root);

        assertThat(store.delete(ChunkId.random())).isFalse();
    }

    @Test
    void manyChunksAreDeletedInOneCallAndAbsentOnesCounted() throws Exception {
        ChunkStore store = ChunkStore.openAt(root);
        ChunkId a = ChunkId.parse("aa" + "0".repeat(30));
        ChunkId b = ChunkId.parse("aa" + "1".repeat(30)); // the same folder as a
        ChunkId c = ChunkId.parse("cc" + "0".repeat(30));
        ChunkId kept = ChunkId.parse("dd" + "0".repeat(30));
        for (ChunkId id : List.of(a, b, c, kept)) {
            put(store, id, bytes(100, 17));
        }

        ChunkDeletion.Result result = store.deleteAll(List.of(a, b, c, ChunkId.random(), a));

        assertThat(result).isEqualTo(new ChunkDeletion.Result(3, 1)); // a named twice counts once
        assertThat(store.list()).extracting(ChunkListing.Entry::id).containsExactly(kept);
        assertThat(store.usedBytes()).isEqualTo(100);
        try (Stream<Path> files = Files.walk(root.resolve("chunks"))) {
            assertThat(files.filter(Files::isRegularFile)).extracting(f -> f.getFileName().toString())
                    .containsExactly(kept.hex());
        }
        assertThat(ChunkStore.openAt(root).list()).extracting(ChunkListing.Entry::id).containsExactly(kept);
        put(store, a, bytes(100, 18)); // a deleted id can be stored again
        assertThat(store.verify(a).status()).isEqualTo(VerifyResult.Status.OK);
    }

    @Test
    void aDeletedChunksFileIsEmptiedAndServesTheNextPut() throws Exception {
        ChunkStore store = ChunkStore.openAt(root);
        ChunkId gone = ChunkId.random();
        put(store, gone, bytes(100_000, 19));
        Object inode = Files.getAttribute(chunkFile(gone), "unix:ino");

        store.delete(gone);

        try (Stream<Path> kept = Files.list(root.resolve("free"))) {
            assertThat(kept).singleElement().satisfies(f -> assertThat(Files.size(f)).as("emptied").isZero());
        }
        ChunkId next = ChunkId.random();
        byte[] data = bytes(300, 20);
        put(store, next, data);
        assertThat(Files.getAttribute(chunkFile(next), "unix:ino")).as("the deleted chunk's file").isEqualTo(inode);
        assertThat(Files.size(chunkFile(next))).isEqualTo(ChunkFileFormat.HEADER_BYTES + data.length);
        assertThat(read(store, next)).isEqualTo(data);
        assertThat(store.verify(next).status()).isEqualTo(VerifyResult.Status.OK);
    }

    @Test
    void aKeptFileStillHoldingBytesAfterACrashIsEmptiedWhenReused() throws Exception {
        Files.createDirectories(root.resolve("free"));
        Files.write(root.resolve("free/7"), bytes(50_000, 21)); // moved, not yet emptied, when the power went
        ChunkStore store = ChunkStore.openAt(root);
        ChunkId id = ChunkId.random();
        byte[] data = bytes(100, 22);

        put(store, id, data);

        assertThat(root.resolve("free/7")).doesNotExist();
        assertThat(Files.size(chunkFile(id))).isEqualTo(ChunkFileFormat.HEADER_BYTES + data.length);
        assertThat(store.verify(id).status()).isEqualTo(VerifyResult.Status.OK);
    }

    @Test
    void listAndTotalsFollowPutsAndDeletes() throws Exception {
        ChunkStore store = ChunkStore.openAt(root);
        ChunkId a = ChunkId.parse("aa" + "0".repeat(30));
        ChunkId b = ChunkId.parse("bb" + "0".repeat(30));
        ChunkId c = ChunkId.parse("cc" + "0".repeat(30));
        put(store, c, bytes(300, 13));
        put(store, a, bytes(100, 14));
        put(store, b, bytes(200, 15));
        store.delete(b);

        assertThat(store.list()).containsExactly(new ChunkListing.Entry(a, 100), new ChunkListing.Entry(c, 300));
        assertThat(store.count()).isEqualTo(2);
        assertThat(store.usedBytes()).isEqualTo(400);
    }

    @Test
    void totalsAreRecountedWhenTheStoreIsReopened() throws Exception {
        ChunkStore first = ChunkStore.openAt(root);
        ChunkId a = ChunkId.random();
        ChunkId b = ChunkId.random();
        put(first, a, bytes(1234, 16));
        put(first, b, bytes(0, 17));

        ChunkStore reopened = ChunkStore.openAt(root);

        assertThat(reopened.count()).isEqualTo(2);
        assertThat(reopened.usedBytes()).isEqualTo(1234);
        assertThat(reopened.list()).containsExactlyInAnyOrder(
                new ChunkListing.Entry(a, 1234), new ChunkListing.Entry(b, 0));
    }

    @Test
    void strayFilesInTheChunkFolderAreNotCounted() throws Exception {
        Files.createDirectories(root.resolve("chunks/ab"));
        Files.writeString(root.resolve("chunks/ab/notes.txt"), "hello");
        Files.writeString(root.resolve("chunks/ab/" + "cd".repeat(16)), "wrong shard");
        Files.writeString(root.resolve("chunks/README"), "hello");

        ChunkStore store = ChunkStore.openAt(root);

        assertThat(store.count()).isZero();
        assertThat(store.usedBytes()).isZero();
    }

    @Test
    void nodeIdIsCreatedOnceAndKeptAcrossReopen() throws Exception {
        NodeId first = ChunkStore.openAt(root).nodeId();

        NodeId second = ChunkStore.openAt(root).nodeId();

        assertThat(second).isEqualTo(first);
        assertThat(Files.readString(root.resolve("node_id")).strip()).isEqualTo(first.hex());
    }

    @Test
    void damagedNodeIdFileIsRefusedNamingTheFile() throws Exception {
        Files.writeString(root.resolve("node_id"), "not-a-node-id\n");

        assertThatThrownBy(() -> ChunkStore.openAt(root))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("node_id")
                .hasMessageContaining("not-a-node-id");
    }

    @Test
    void aFileWhereTheStorageFolderShouldBeIsRefusedSayingSo() throws Exception {
        Path file = Files.writeString(root.resolve("storage"), "not a folder");

        assertThatThrownBy(() -> ChunkStore.nodeIdAt(file))
                .isInstanceOf(FileSystemException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("is a file, not a folder");
        assertThatThrownBy(() -> StorageLock.acquire(file))
                .hasMessageContaining("is a file, not a folder");
        assertThat(file).hasContent("not a folder");
    }

    @Test
    void unfinishedWritesAreRemovedAtStart() throws Exception {
        Files.createDirectories(root.resolve("tmp"));
        Files.write(root.resolve("tmp/" + ChunkId.random() + ".123.tmp"), bytes(100, 18));

        ChunkStore.openAt(root);

        assertThat(tmpFiles()).isEmpty();
    }

    @Test
    void verifyFindsAnIntactChunkOk() throws Exception {
        ChunkStore store = ChunkStore.openAt(root);
        ChunkId id = ChunkId.random();
        put(store, id, bytes(70_000, 19));

        assertThat(store.verify(id).status()).isEqualTo(VerifyResult.Status.OK);
    }

    @Test
    void verifyDetectsAFlippedPayloadByte() throws Exception {
        ChunkStore store = ChunkStore.openAt(root);
        ChunkId id = ChunkId.random();
        put(store, id, bytes(70_000, 20));

        flipByte(chunkFile(id), ChunkFileFormat.HEADER_BYTES + 65_537);

        VerifyResult result = store.verify(id);
        assertThat(result.status()).isEqualTo(VerifyResult.Status.CORRUPT);
        assertThat(result.detail()).contains("hashes to");
    }

    @Test
    void verifyDetectsATruncatedChunk() throws Exception {
        ChunkStore store = ChunkStore.openAt(root);
        ChunkId id = ChunkId.random();
        put(store, id, bytes(1000, 21));

        truncate(chunkFile(id), ChunkFileFormat.HEADER_BYTES + 500);

        VerifyResult result = store.verify(id);
        assertThat(result.status()).isEqualTo(VerifyResult.Status.CORRUPT);
        assertThat(result.detail()).contains("500 payload bytes");
    }

    @Test
    void verifyDetectsADamagedHeader() throws Exception {
        ChunkStore store = ChunkStore.openAt(root);
        ChunkId id = ChunkId.random();
        put(store, id, bytes(1000, 22));

        flipByte(chunkFile(id), 0);

        VerifyResult result = store.verify(id);
        assertThat(result.status()).isEqualTo(VerifyResult.Status.CORRUPT);
        assertThat(result.detail()).contains("magic");
    }

    @Test
    void verifyReportsAnAbsentChunkMissing() throws Exception {
        ChunkStore store = ChunkStore.openAt(root);

        assertThat(store.verify(ChunkId.random()).status()).isEqualTo(VerifyResult.Status.MISSING);
    }

    @Test
    void openRefusesATruncatedChunk() throws Exception {
        ChunkStore store = ChunkStore.openAt(root);
        ChunkId id = ChunkId.random();
        put(store, id, bytes(1000, 23));
        truncate(chunkFile(id), ChunkFileFormat.HEADER_BYTES + 10);

        assertThatThrownBy(() -> store.open(id))
                .isInstanceOf(CorruptChunkException.class)
                .hasMessageContaining(id.hex());
    }

    @Test
    void repeatingAPutHealsARottedCopy() throws Exception {
        ChunkStore store = ChunkStore.openAt(root);
        ChunkId id = ChunkId.random();
        byte[] data = bytes(1000, 24);
        put(store, id, data);
        flipByte(chunkFile(id), ChunkFileFormat.HEADER_BYTES + 3);

        PutResult again = put(store, id, data);

        assertThat(again.existed()).isTrue();
        assertThat(store.verify(id).status()).isEqualTo(VerifyResult.Status.OK);
        assertThat(read(store, id)).isEqualTo(data);
    }

    @Test
    void aCorruptChunkIsReplacedRatherThanReportedAsConflict() throws Exception {
        ChunkStore store = ChunkStore.openAt(root);
        ChunkId id = ChunkId.random();
        put(store, id, bytes(1000, 25));
        truncate(chunkFile(id), ChunkFileFormat.HEADER_BYTES + 10);
        byte[] replacement = bytes(800, 26);

        PutResult result = put(store, id, replacement);

        assertThat(result.existed()).isFalse();
        assertThat(read(store, id)).isEqualTo(replacement);
        assertThat(store.usedBytes()).isEqualTo(800);
    }

    @Test
    void concurrentPutsOfTheSameChunkStoreItOnce() throws Exception {
        ChunkStore store = ChunkStore.openAt(root);
        ChunkId id = ChunkId.random();
        byte[] data = bytes(300_000, 27);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<PutResult>> puts = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                puts.add(() -> put(store, id, data));
            }
            List<PutResult> results = new ArrayList<>();
            for (Future<PutResult> f : pool.invokeAll(puts)) {
                results.add(f.get());
            }

            assertThat(results).filteredOn(r -> !r.existed()).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.count()).isEqualTo(1);
        assertThat(store.usedBytes()).isEqualTo(data.length);
        assertThat(read(store, id)).isEqualTo(data);
        assertThat(tmpFiles()).isEmpty();
    }

    private static PutResult put(ChunkStore store, ChunkId id, byte[] data) throws IOException {
        return store.put(id, sha256(data), data.length, new ByteArrayInputStream(data));
    }

    private static byte[] read(ChunkStore store, ChunkId id) throws IOException {
        try (OpenChunk chunk = store.open(id).orElseThrow()) {
            return chunk.payloadStream().readAllBytes();
        }
    }

    private Path chunkFile(ChunkId id) {
        return root.resolve("chunks").resolve(id.hex().substring(0, 2)).resolve(id.hex());
    }

    private List<Path> tmpFiles() throws IOException {
        try (Stream<Path> files = Files.list(root.resolve("tmp"))) {
            return files.toList();
        }
    }

    private static void flipByte(Path file, long position) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            ch.read(one, position);
            one.put(0, (byte) (one.get(0) ^ 0x01)).rewind();
            ch.write(one, position);
        }
    }

    private static void truncate(Path file, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size);
        }
    }

    static byte[] bytes(int n, int salt) {
        return TestData.bytes(n, salt);
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A body that fails the test if anything reads it. */
    private static InputStream unreadable() {
        return new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("a refused body must not be read");
            }
        };
    }
}
