package dfs.master.transfer;

import dfs.common.wire.ChunkId;
import dfs.common.wire.NodeId;

/**
 * A replica a download could not use: corrupt (its bytes fail their SHA-256) or unavailable.
 * Reported so the master can replace it.
 */
public record BadReplica(String file, int index, ChunkId chunk, NodeId node, boolean corrupt, String reason) {}
