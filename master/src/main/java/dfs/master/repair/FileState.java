package dfs.master.repair;

/** How a file fares, from the worst of its chunks. Declared from best to worst. */
public enum FileState {
    /** Every chunk has at least replication_factor good replicas. */
    HEALTHY,
    /** Some chunk has fewer than replication_factor good replicas, but every chunk has one. */
    UNDER_REPLICATED,
    /** Some replica is known corrupt; every chunk still has a good one, so the file reads. */
    CORRUPT,
    /** Some chunk has no good replica: the file cannot be read now. */
    LOST;

    /** How fsck prints it. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
