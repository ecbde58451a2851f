package dfs.master.repair;

import java.util.List;
import java.util.Objects;

/**
 * One file's verdict and the chunks that made it so. Immutable.
 *
 * @param name the file's name
 * @param state its verdict
 * @param chunkCount how many chunks it has
 * @param damaged the chunks that need attention (see {@link ChunkReport#damaged}), in order
 */
public record FileReport(String name, FileState state, int chunkCount, List<ChunkReport> damaged) {
    public FileReport {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        damaged = List.copyOf(damaged);
    }

    /** The verdict for a file whose chunks were checked as {@code chunks}. */
    static FileState judge(List<ChunkReport> chunks, int replication) {
        FileState worst = FileState.HEALTHY;
        for (ChunkReport c : chunks) {
            FileState s = c.lost() ? FileState.LOST
                    : !c.in(ReplicaState.CORRUPT).isEmpty() ? FileState.CORRUPT
                    : c.underReplicated(replication) ? FileState.UNDER_REPLICATED
                    : FileState.HEALTHY;
            if (s.compareTo(worst) > 0) {
                worst = s;
            }
        }
        return worst;
    }
}
