package dfs.chunkserver.store;

import java.time.Duration;
import java.util.Objects;

/**
 * How hard the {@link Scrubber} may work: it re-reads stored chunks at no more than
 * {@code bytesPerSecond} on average, rests at least {@code pauseBetweenChunks} after each chunk so
 * client reads and writes always get the disk between two chunks, and starts a new full pass
 * {@code interval} after the previous one started (or right after it ends, if it took longer).
 * Immutable; validated when built.
 */
public record ScrubPolicy(Duration interval, long bytesPerSecond, Duration pauseBetweenChunks) {
    /** A full pass a day at 32 MiB/s: a terabyte is re-checked in about nine hours. */
    public static final ScrubPolicy DEFAULT = new ScrubPolicy(Duration.ofHours(24), 32L * 1024 * 1024,
            Duration.ofMillis(10));

    public ScrubPolicy {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(pauseBetweenChunks, "pauseBetweenChunks");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("scrub interval must be positive, got " + interval);
        }
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("scrub rate must be a positive number of bytes per second, got "
                    + bytesPerSecond);
        }
        if (pauseBetweenChunks.isNegative()) {
            throw new IllegalArgumentException("scrub pause between chunks cannot be negative, got "
                    + pauseBetweenChunks);
        }
    }

    /**
     * The rest owed after re-reading {@code bytes} in {@code took}: whatever keeps the average at
     * {@code bytesPerSecond}, and never less than {@code pauseBetweenChunks}.
     */
    Duration pauseAfter(long bytes, Duration took) {
        long budgetNanos = (long) Math.ceil(bytes * 1e9 / bytesPerSecond);
        Duration owed = Duration.ofNanos(budgetNanos).minus(took);
        return owed.compareTo(pauseBetweenChunks) > 0 ? owed : pauseBetweenChunks;
    }
}
