package dfs.master.repair;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the background healer has seen and done since the master started. Immutable.
 *
 * @param lastScan when the last scan started; empty before the first
 * @param scans scans completed
 * @param underReplicatedChunks chunks with fewer good copies than the replication factor, at the last scan
 * @param chunksCopied chunk copies made by repairs
 * @param extraCopiesTrimmed copies deleted because their chunk was re-replicated elsewhere
 * @param orphansDeleted unreferenced chunks deleted after their grace period
 */
public record HealingStatus(Optional<Instant> lastScan, long scans, int underReplicatedChunks, long chunksCopied,
        long extraCopiesTrimmed, long orphansDeleted) {
    /** Before the first scan. */
    public static final HealingStatus NONE = new HealingStatus(Optional.empty(), 0, 0, 0, 0, 0);

    public HealingStatus {
        Objects.requireNonNull(lastScan, "lastScan");
    }
}
