package dfs.master.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Memory figures of this process and of others: heap from the JVM's memory pools, resident set
 * from Linux's {@code /proc/<pid>/status} (absent elsewhere). Stateless and thread-safe.
 */
final class Memory {
    private Memory() {}

    /** Starts the heap peaks afresh, so they describe what follows. */
    static void resetHeapPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    /**
     * The peak used bytes of every heap pool, summed. Pools peak at different moments, so this is
     * an upper bound on the heap ever in use at once.
     */
    static long heapPeakBytes() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    /** The peak resident set ({@code VmHWM}) of this process. */
    static OptionalLong selfPeakRssBytes() {
        return peakRssBytes(ProcessHandle.current().pid());
    }

    /** The peak resident set ({@code VmHWM}) of process {@code pid}, if {@code /proc} tells it. */
    static OptionalLong peakRssBytes(long pid) {
        return statusField(Path.of("/proc", Long.toString(pid), "status"), "VmHWM");
    }

    /** A {@code kB} field of a {@code /proc/<pid>/status} file, in bytes. */
    static OptionalLong statusField(Path status, String field) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith(field + ":")) {
                    String[] parts = line.substring(field.length() + 1).trim().split("\\s+");
                    return OptionalLong.of(Long.parseLong(parts[0]) * 1024);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or the process is gone: the figure is simply unknown
        }
        return OptionalLong.empty();
    }
}
