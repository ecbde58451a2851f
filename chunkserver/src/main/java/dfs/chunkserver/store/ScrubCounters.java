package dfs.chunkserver.store;

import dfs.common.wire.HealthReport;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the store's integrity checks found since it was opened: chunks scrubbed, corrupt chunks
 * quarantined (by the scrubber or on a read) and when the last full pass ended. Thread-safe.
 */
final class ScrubCounters {
    private final AtomicLong scrubbed = new AtomicLong();
    private final AtomicLong corrupt = new AtomicLong();
    private volatile Instant lastFullPass;

    void chunkScrubbed() {
        scrubbed.incrementAndGet();
    }

    void corruptFound() {
        corrupt.incrementAndGet();
    }

    void fullPassEnded(Instant when) {
        lastFullPass = when;
    }

    HealthReport.Scrub snapshot() {
        return new HealthReport.Scrub(scrubbed.get(), corrupt.get(), lastFullPass);
    }
}
