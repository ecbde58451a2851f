package dfs.master.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link ChunkFileWriter} writing real files, around the page cache and through it. */
class ChunkFileWriterTest {
    /** File systems known to take O_DIRECT writes. */
    private static final Set<String> DIRECT_CAPABLE = Set.of("ext4", "xfs", "btrfs");

    @TempDir
    Path dir;

    private final ExecutorService io = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopIo() {
        io.shutdownNow();
    }

    @Test
    void aLargeFileIsWrittenExactlyWithItsShortLastChunkCutToLength() throws IOException {
        byte[] content = random(5 * 256 * 1024 + 1000);

        ChunkFileWriter writer = write(content, 256 * 1024);

        assertThat(Files.readAllBytes(dir.resolve("f"))).isEqualTo(content);
        assertThat(Files.size(dir.resolve("f"))).isEqualTo(content.length);
        assumeTrue(DIRECT_CAPABLE.contains(Files.getFileStore(dir).type()), "no O_DIRECT expected on this file system");
        assertThat(writer.direct()).as("written around the page cache").isTrue();
    }

    /** A file under the threshold, and a chunk size that is no multiple of the block size. */
    @ParameterizedTest(name = "{0} bytes in chunks of {1}")
    @CsvSource({"10247, 4096", "3000008, 1000001"})
    void otherFilesGoThroughThePageCache(int size, int chunkSize) throws IOException {
        byte[] content = random(size);

        ChunkFileWriter writer = write(content, chunkSize);

        assertThat(writer.direct()).isFalse();
        assertThat(Files.readAllBytes(dir.resolve("f"))).isEqualTo(content);
    }

    @Test
    void everyChunkIsReleasedOnceWrittenAndAFileOfWholeChunksKeepsItsLength() throws IOException {
        byte[] content = random(8 * 256 * 1024);
        AtomicInteger released = new AtomicInteger();
        Path file = Files.createFile(dir.resolve("f"));

        try (ChunkFileWriter writer = ChunkFileWriter.open(file, content.length, 256 * 1024, io)) {
            for (byte[] chunk : split(content, 256 * 1024)) {
                writer.write(chunk, released::incrementAndGet);
            }
            writer.finish();
        }

        assertThat(released).hasValue(8);
        assertThat(Files.readAllBytes(file)).isEqualTo(content);
    }

    @Test
    void aFileWrittenAroundThePageCacheIsForcedInTheBackgroundAsItGrows() throws IOException {
        byte[] content = random(8 * 256 * 1024);
        AtomicInteger tasks = new AtomicInteger();
        Executor counting = task -> {
            tasks.incrementAndGet();
            io.execute(task);
        };
        Path file = Files.createFile(dir.resolve("f"));

        try (ChunkFileWriter writer = ChunkFileWriter.open(file, content.length, 256 * 1024, 512 * 1024, counting)) {
            assumeTrue(writer.direct(), "this file system refuses O_DIRECT");
            for (byte[] chunk : split(content, 256 * 1024)) {
                writer.write(chunk, () -> {});
            }
            writer.finish();
        }

        assertThat(tasks.get()).as("8 chunk writes and at least one force while they went on").isGreaterThan(8);
        assertThat(Files.readAllBytes(file)).isEqualTo(content);
    }

    @Test
    void filesWrittenOneAfterAnotherReuseTheSameAlignedBuffers() throws IOException {
        AlignedBuffers buffers = new AlignedBuffers(4);
        byte[] content = random(6 * 256 * 1024 + 10);

        for (int i = 0; i < 5; i++) {
            Path file = Files.createFile(dir.resolve("f" + i));
            try (ChunkFileWriter writer = ChunkFileWriter.open(file, content.length, 256 * 1024, 1L << 30, io, buffers)) {
                assumeTrue(writer.direct(), "this file system refuses O_DIRECT");
                for (byte[] chunk : split(content, 256 * 1024)) {
                    writer.write(chunk, () -> {});
                }
                writer.finish();
            }
            assertThat(Files.readAllBytes(file)).isEqualTo(content);
        }

        assertThat(buffers.allocations()).as("two writes in flight, for all five files").isEqualTo(ChunkFileWriter.WRITES_IN_FLIGHT);
    }

    @Test
    void theWritingThreadCanStillReadIntoLargerArraysAfterwards() throws Exception {
        // JDK 17 caches a temporary aligned buffer per thread for an array written with O_DIRECT,
        // and fails to free it when a later read on that thread needs a larger one
        write(random(2 * 1024 * 1024 + 100), 1024 * 1024);
        Path other = Files.write(dir.resolve("other"), random(3 * 1024 * 1024));

        int read = io.submit(() -> {
            try (FileChannel in = FileChannel.open(other)) {
                return in.read(ByteBuffer.allocate(3 * 1024 * 1024));
            }
        }).get();

        assertThat(read).isEqualTo(3 * 1024 * 1024);
    }

    private ChunkFileWriter write(byte[] content, int chunkSize) throws IOException {
        Path file = Files.createFile(dir.resolve("f"));
        try (ChunkFileWriter writer = ChunkFileWriter.open(file, content.length, chunkSize, io)) {
            for (byte[] chunk : split(content, chunkSize)) {
                writer.write(chunk, () -> {});
            }
            writer.finish();
            return writer;
        }
    }

    private static byte[][] split(byte[] content, int chunkSize) {
        int count = (content.length + chunkSize - 1) / chunkSize;
        byte[][] chunks = new byte[count][];
        for (int i = 0; i < count; i++) {
            chunks[i] = Arrays.copyOfRange(content, i * chunkSize, Math.min(content.length, (i + 1) * chunkSize));
        }
        return chunks;
    }

    private static byte[] random(int length) {
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        return bytes;
    }
}
