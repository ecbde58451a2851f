package dfs.master.bench;

/**
 * One measured stream of work: bytes processed in a wall-clock time, and the CPU time the
 * measuring thread spent on them. Immutable.
 *
 * @param bytes bytes processed while measured
 * @param wallNanos wall-clock time they took
 * @param cpuNanos CPU time of the thread doing the work, over the same span
 */
record Rate(long bytes, long wallNanos, long cpuNanos) {
    Rate {
        if (bytes <= 0 || wallNanos <= 0 || cpuNanos < 0) {
            throw new IllegalArgumentException("a rate needs bytes and time, got " + bytes + " B in " + wallNanos + " ns");
        }
    }

    /** Throughput in MB/s (10^6 bytes per second), by the wall clock. */
    double mbps() {
        return bytes * 1e3 / wallNanos;
    }

    /** CPU seconds spent per byte; if the clock could not tell (0), the wall time stands in. */
    double cpuSecondsPerByte() {
        return (cpuNanos > 0 ? cpuNanos : wallNanos) / 1e9 / bytes;
    }

    /** What one core would sustain doing only this, in MB/s. */
    double cpuMbps() {
        return 1e-6 / cpuSecondsPerByte();
    }
}
