package dfs.chunkserver.store;

import dfs.common.config.ByteSize;
import dfs.common.wire.ChunkId;
import java.io.IOException;
import java.nio.file.Path;

/** Storing a chunk would leave less free space than the store keeps in reserve; nothing was kept. */
public final class DiskFullException extends IOException {
    private final ChunkId id;
    private final long neededBytes;
    private final long usableBytes;
    private final long reserveBytes;

    DiskFullException(ChunkId id, Path root, long neededBytes, long usableBytes, long reserveBytes,
            Throwable cause) {
        super("no room for a " + ByteSize.human(neededBytes) + " chunk in " + root + ": "
                + ByteSize.human(usableBytes) + " usable, " + ByteSize.human(reserveBytes)
                + " kept in reserve; free space there or add a chunk server", cause);
        this.id = id;
        this.neededBytes = neededBytes;
        this.usableBytes = usableBytes;
        this.reserveBytes = reserveBytes;
    }

    public ChunkId id() {
        return id;
    }

    public long neededBytes() {
        return neededBytes;
    }

    public long usableBytes() {
        return usableBytes;
    }

    public long reserveBytes() {
        return reserveBytes;
    }
}
