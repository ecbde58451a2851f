package dfs.chunkserver.store;

import dfs.common.wire.ChunkId;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/** Storing a chunk would leave less free space than the store keeps in reserve; nothing was kept. */
public final class DiskFullException extends IOException {
    private final ChunkId id;
    private final long neededBytes;
    private final long usableBytes;
    private final long reserveBytes;

    DiskFullException(ChunkId id, Path root, long neededBytes, long usableBytes, long reserveBytes,
            Throwable cause) {
        super("no room for a " + size(neededBytes) + " chunk in " + root + ": " + size(usableBytes) + " usable, "
                + size(reserveBytes) + " kept in reserve; free space there or add a chunk server", cause);
        this.id = id;
        this.neededBytes = neededBytes;
        this.usableBytes = usableBytes;
        this.reserveBytes = reserveBytes;
    }

    /** {@code 512 B}, {@code 4.0 MiB}, {@code 61.8 GiB}: one decimal from KiB up. */
    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double value = bytes / 1024.0;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
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
