package dfs.master.cli;

import dfs.common.config.ByteSize;
import java.util.Locale;

/** Human-readable sizes and rates for console output (binary units, one decimal). */
final class Units {
    private Units() {}

    static String bytes(long n) {
        return ByteSize.human(n);
    }

    static String rate(long bytes, long nanos) {
        if (nanos <= 0) {
            return "-";
        }
        double perSecond = bytes * 1e9 / nanos;
        return String.format(Locale.ROOT, "%.1f MiB/s", perSecond / (1024 * 1024));
    }

    /** "312.5 files/s, 1.2 MiB/s": for many small files the count per second says more than the bytes. */
    static String folderRate(int files, long bytes, long nanos) {
        if (nanos <= 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.1f files/s, ", files * 1e9 / nanos) + rate(bytes, nanos);
    }

    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }
}
