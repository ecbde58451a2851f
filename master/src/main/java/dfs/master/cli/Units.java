package dfs.master.cli;

import java.util.Locale;

/** Human-readable sizes and rates for console output (binary units, one decimal). */
final class Units {
    private Units() {}

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1L << 40) {
            // as formatted(n), in integers: 'list' prints one size per file
            int u = n < 1 << 20 ? 0 : n < 1 << 30 ? 1 : 2;
            long unit = 1L << 10 * (u + 1);
            long tenths = (n * 10 + unit / 2) / unit; // half up, as Formatter rounds
            return tenths / 10 + "." + tenths % 10 + (u == 0 ? " KiB" : u == 1 ? " MiB" : " GiB");
        }
        return formatted(n);
    }

    /** {@code n} (at least 1024) in the largest unit that keeps the value at or above 1, one decimal. */
    static String formatted(long n) {
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
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
