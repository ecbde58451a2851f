package dfs.master.metadata;

import dfs.common.wire.ChunkId;
import dfs.common.wire.NodeId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Valid records for tests: random ids, everything else fixed or derived from the arguments. */
final class Records {
    static final String SHA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    static final String KEY = "c2VjcmV0LWJ1dC13cmFwcGVk";
    static final Instant CREATED = Instant.parse("2024-05-01T12:00:00Z");
    static final NodeId NODE_A = NodeId.parse("00000000000000aa");
    static final NodeId NODE_B = NodeId.parse("00000000000000bb");
    static final NodeId NODE_C = NodeId.parse("00000000000000cc");

    private Records() {}

    /** A file of {@code size} bytes in chunks of 4 bytes, every chunk on nodes A and B. */
    static FileRecord file(String name, long size) {
        return file(name, size, List.of(NODE_A, NODE_B));
    }

    static FileRecord file(String name, long size, List<NodeId> servers) {
        int chunkSize = 4;
        int count = (int) ((size + chunkSize - 1) / chunkSize);
        List<ChunkRecord> chunks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            chunks.add(new ChunkRecord(i, ChunkId.random(), Math.min(chunkSize, size - i * 4L) + 28,
                    SHA, servers));
        }
        return new FileRecord(name, FileId.random(), size, chunkSize, count, SHA, KEY, CREATED, chunks);
    }
}
