package dfs.master.repair;

import dfs.common.wire.NodeId;
import dfs.master.metadata.ChunkRecord;
import dfs.master.metadata.FileId;
import java.util.List;
import java.util.Objects;

/**
 * The state of every recorded replica of one chunk, against the record it was checked from (a
 * repair commits only if that record is still current). Immutable.
 *
 * @param file the name of the file the chunk belongs to
 * @param fileId that file's id, so a file replaced under the same name is not mistaken for it
 * @param chunk the chunk's record as it was when checked
 * @param replicas one report per node in {@code chunk.servers()}, in that order
 */
public record ChunkReport(String file, FileId fileId, ChunkRecord chunk, List<ReplicaReport> replicas) {
    public ChunkReport {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(fileId, "fileId");
        Objects.requireNonNull(chunk, "chunk");
        replicas = List.copyOf(replicas);
    }

    /** The nodes holding a good replica, in recorded order. */
    public List<NodeId> good() {
        return replicas.stream().filter(ReplicaReport::isGood).map(ReplicaReport::node).toList();
    }

    public List<ReplicaReport> in(ReplicaState state) {
        return replicas.stream().filter(r -> r.state() == state).toList();
    }

    public int goodCount() {
        return (int) replicas.stream().filter(ReplicaReport::isGood).count();
    }

    /** No replica is known good: the chunk cannot be read or copied now. */
    public boolean lost() {
        return goodCount() == 0;
    }

    /** Fewer than {@code replication} good replicas. */
    public boolean underReplicated(int replication) {
        return goodCount() < replication;
    }

    /** Something needs attention: too few good copies, or a replica that is not good. */
    public boolean damaged(int replication) {
        return underReplicated(replication) || replicas.stream().anyMatch(r -> !r.isGood());
    }
}
