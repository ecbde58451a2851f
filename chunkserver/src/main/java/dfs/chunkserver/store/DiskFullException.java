package dfs.chunkserver.store;

import dfs.common.config.ByteSize;
import java.io.IOException;
import java.nio.file.Path;

/** Storing a chunk or the metadata copy would leave less free space than the store keeps in reserve; nothing was kept. */
public final class DiskFullException extends IOException {
    private final long neededBytes;
    private final long usableBytes;
    private final long reserveBytes;

    DiskFullException(Upload upload, Path root, long neededBytes, long usableBytes, long reserveBytes,
            Throwable cause) {
        super("no room for a " + ByteSize.human(neededBytes) + " " + upload.noun() + " in " + root + ": "
                + ByteSize.human(usableBytes) + " usable, " + ByteSize.human(reserveBytes)
                + " kept in reserve; " + upload.remedy(), cause);
        this.neededBytes = neededBytes;
        this.usableBytes = usableBytes;
        this.reserveBytes = reserveBytes;
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
