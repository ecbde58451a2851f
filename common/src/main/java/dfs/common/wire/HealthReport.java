package dfs.common.wire;

import java.util.Objects;

/**
 * A chunk server's self-description, answered on {@link Protocol#HEALTH_PATH}. Immutable.
 *
 * @param node stable node id
 * @param version software version of the server
 * @param protocol {@link Protocol#VERSION} the server speaks
 * @param chunkCount chunks stored
 * @param usedBytes bytes of chunk data stored
 * @param freeBytes usable free space of the storage folder's file system
 * @param totalBytes size of that file system
 */
public record HealthReport(NodeId node, String version, int protocol, long chunkCount,
        long usedBytes, long freeBytes, long totalBytes) {
    public HealthReport {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(version, "version");
    }
}
