package dfs.chunkserver.store;

import dfs.common.wire.ChunkId;
import java.util.Objects;

/**
 * What a put is storing, as its errors name it. Immutable.
 *
 * @param noun the kind of thing, after "a 4.0 MiB ..." ({@code chunk})
 * @param name the thing itself, at the start of a message ({@code chunk 01ab...})
 * @param remedy what an operator can do when it does not fit on the disk
 */
record Upload(String noun, String name, String remedy) {
    /** The master's sealed copy of its metadata ({@link MetadataCopyStore}). */
    static final Upload METADATA_COPY = new Upload("metadata copy", "metadata copy",
            "free space there; until then the server keeps the copy it held before");

    Upload {
        Objects.requireNonNull(noun, "noun");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(remedy, "remedy");
    }

    static Upload chunk(ChunkId id) {
        return new Upload("chunk", "chunk " + id, "free space there or add a chunk server");
    }
}
