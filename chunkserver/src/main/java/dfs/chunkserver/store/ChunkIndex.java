package dfs.chunkserver.store;

import dfs.common.wire.ChunkId;
import dfs.common.wire.ChunkListing;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stored chunks and their payload sizes, held in memory so listings and totals cost no
 * folder walk: built once by {@link #scan} at start, then kept up to date by the store.
 * Thread-safe.
 */
final class ChunkIndex {
    private static final Logger LOG = LoggerFactory.getLogger(ChunkIndex.class);

    private final ConcurrentHashMap<ChunkId, Long> sizes = new ConcurrentHashMap<>();
    private final AtomicLong usedBytes = new AtomicLong();

    /**
     * Walks {@code chunks/} once. Sizes come from file lengths (payload = file length minus the
     * fixed header), not from reading every header, so a start stays fast with many chunks;
     * damaged files are found by {@link ChunkStore#verify}. Files that are not named like a
     * chunk in its shard are left alone and reported.
     */
    static ChunkIndex scan(Path chunksDir) throws IOException {
        ChunkIndex index = new ChunkIndex();
        try (DirectoryStream<Path> shards = Files.newDirectoryStream(chunksDir)) {
            for (Path shard : shards) {
                if (!Files.isDirectory(shard)) {
                    LOG.warn("ignoring stray file {} in {}", shard.getFileName(), chunksDir);
                    continue;
                }
                index.scanShard(shard);
            }
        }
        return index;
    }

    private void scanShard(Path shard) throws IOException {
        String prefix = shard.getFileName().toString();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(shard)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (!ChunkId.isValid(name) || !name.startsWith(prefix) || !Files.isRegularFile(file)) {
                    LOG.warn("ignoring stray entry {} in {}", name, shard);
                    continue;
                }
                put(ChunkId.parse(name), Math.max(0, Files.size(file) - ChunkFileFormat.HEADER_BYTES));
            }
        }
    }

    /** Records that {@code id} now holds {@code size} payload bytes. */
    void put(ChunkId id, long size) {
        sizes.compute(id, (key, previous) -> {
            usedBytes.addAndGet(size - (previous == null ? 0 : previous));
            return size;
        });
    }

    /** Records that {@code id} is gone. */
    void remove(ChunkId id) {
        sizes.computeIfPresent(id, (key, previous) -> {
            usedBytes.addAndGet(-previous);
            return null;
        });
    }

    /** A snapshot, sorted by id. */
    List<ChunkListing.Entry> list() {
        List<ChunkListing.Entry> entries = new ArrayList<>(sizes.size());
        sizes.forEach((id, size) -> entries.add(new ChunkListing.Entry(id, size)));
        entries.sort(Comparator.comparing(entry -> entry.id().hex()));
        return entries;
    }

    long count() {
        return sizes.size();
    }

    long usedBytes() {
        return usedBytes.get();
    }
}
