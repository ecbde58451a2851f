package dfs.master.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * CPU time used so far by this process (the master) and by the chunk server processes, so a
 * transfer's CPU cost per byte can be set beside the cost its components predict. Reads what
 * the operating system reports; 0 where it reports nothing. Thread-safe.
 */
final class CpuMeter {
    private final List<Long> serverPids;

    /** CPU nanoseconds used so far. */
    record Sample(long masterNanos, long serversNanos) {
        Sample minus(Sample earlier) {
            return new Sample(masterNanos - earlier.masterNanos, serversNanos - earlier.serversNanos);
        }

        Sample plus(Sample other) {
            return new Sample(masterNanos + other.masterNanos, serversNanos + other.serversNanos);
        }
    }

    CpuMeter(List<Long> serverPids) {
        this.serverPids = List.copyOf(serverPids);
    }

    Sample now() {
        long servers = 0;
        for (long pid : serverPids) {
            servers += ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration()).map(Duration::toNanos).orElse(0L);
        }
        return new Sample(masterNanos(), servers);
    }

    private static long masterNanos() {
        return Optional.of(ManagementFactory.getOperatingSystemMXBean())
                .filter(os -> os instanceof com.sun.management.OperatingSystemMXBean)
                .map(os -> ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime())
                .filter(n -> n > 0).orElse(0L);
    }
}
