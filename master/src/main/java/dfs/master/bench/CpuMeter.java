package dfs.master.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * CPU time used so far by this process (the master) and by the chunk server processes, so a
 * transfer's CPU cost per byte can be set beside the cost its components predict; and, of all
 * that, the time the JVMs' just-in-time compilers took, so a figure still paying for compiling
 * fresh code says so. Reads what the operating system reports; 0 where it reports nothing (the
 * compilers' share is read from Linux's /proc only). Thread-safe.
 */
final class CpuMeter {
    /** Linux's names (cut to 15 characters) of HotSpot's compiler threads. */
    private static final List<String> COMPILER_THREADS = List.of("C1 CompilerThre", "C2 CompilerThre");

    private final List<Long> serverPids;

    /** CPU nanoseconds used so far; {@code compilerNanos} is the part of both spent compiling. */
    record Sample(long masterNanos, long serversNanos, long compilerNanos) {
        static final Sample ZERO = new Sample(0, 0, 0);

        Sample minus(Sample earlier) {
            return new Sample(masterNanos - earlier.masterNanos, serversNanos - earlier.serversNanos,
                    compilerNanos - earlier.compilerNanos);
        }

        Sample plus(Sample other) {
            return new Sample(masterNanos + other.masterNanos, serversNanos + other.serversNanos,
                    compilerNanos + other.compilerNanos);
        }

        long total() {
            return masterNanos + serversNanos;
        }

        /** The compilers' share of the CPU used, 0 to 1. */
        double compilerShare() {
            return total() <= 0 ? 0 : Math.min(1, (double) compilerNanos / total());
        }
    }

    CpuMeter(List<Long> serverPids) {
        this.serverPids = List.copyOf(serverPids);
    }

    Sample now() {
        long servers = 0;
        long compilers = compilerNanos(ProcessHandle.current().pid());
        for (long pid : serverPids) {
            servers += ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration()).map(Duration::toNanos).orElse(0L);
            compilers += compilerNanos(pid);
        }
        return new Sample(masterNanos(), servers, compilers);
    }

    private static long masterNanos() {
        return Optional.of(ManagementFactory.getOperatingSystemMXBean())
                .filter(os -> os instanceof com.sun.management.OperatingSystemMXBean)
                .map(os -> ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime())
                .filter(n -> n > 0).orElse(0L);
    }

    /**
     * CPU nanoseconds the compiler threads of process {@code pid} have used, from each thread's
     * {@code schedstat}; 0 where /proc has no such figures.
     */
    static long compilerNanos(long pid) {
        List<Path> threads = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            tasks.forEach(threads::add);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        long nanos = 0;
        for (Path thread : threads) {
            try {
                String name = Files.readString(thread.resolve("comm")).strip();
                if (COMPILER_THREADS.stream().anyMatch(name::startsWith)) {
                    nanos += Long.parseLong(Files.readString(thread.resolve("schedstat")).split(" ", 2)[0]);
                }
            } catch (IOException | RuntimeException e) {
                // the thread ended meanwhile, or this /proc has no schedstat
            }
        }
        return nanos;
    }
}
