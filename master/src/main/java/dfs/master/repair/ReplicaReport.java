package dfs.master.repair;

import dfs.common.wire.NodeId;
import java.util.Objects;

/**
 * The state of one recorded replica, with why it is not good. Immutable.
 *
 * @param node the server the metadata says holds the replica
 * @param state what the check found
 * @param detail the problem in words; empty when good
 */
public record ReplicaReport(NodeId node, ReplicaState state, String detail) {
    public ReplicaReport {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(detail, "detail");
    }

    static ReplicaReport good(NodeId node) {
        return new ReplicaReport(node, ReplicaState.GOOD, "");
    }

    public boolean isGood() {
        return state == ReplicaState.GOOD;
    }
}
