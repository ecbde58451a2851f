package dfs.common.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.Objects;

/**
 * A chunk server's self-description, answered on {@link Protocol#HEALTH_PATH}. Immutable.
 * A newer server may answer with more fields; they are ignored, so a master of an older version
 * still reads the fields it knows.
 *
 * @param node stable node id
 * @param version software version of the server
 * @param protocol {@link Protocol#VERSION} the server speaks
 * @param chunkCount chunks stored
 * @param usedBytes bytes of chunk data stored
 * @param freeBytes usable free space of the storage folder's file system
 * @param totalBytes size of that file system
 * @param scrub what the server's background integrity checks found since it started; null (and
 *     absent from the JSON) for a server that does not report it
 * @param disk which file system of its machine the storage folder is on (its device number, in
 *     hex): servers of one machine that report the same one share their free space; null (and
 *     absent from the JSON) for a server that does not report it
 * @param draining true while a master's mark says the server is drained ({@link Protocol#DRAINING_PATH}):
 *     masters place no new copies on it; null (absent from the JSON) otherwise
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record HealthReport(NodeId node, String version, int protocol, long chunkCount,
        long usedBytes, long freeBytes, long totalBytes, Scrub scrub, String disk, Boolean draining) {
    public HealthReport {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(version, "version");
    }

    /** A report without scrub results or disk. */
    public HealthReport(NodeId node, String version, int protocol, long chunkCount,
            long usedBytes, long freeBytes, long totalBytes) {
        this(node, version, protocol, chunkCount, usedBytes, freeBytes, totalBytes, null, null);
    }

    /** A report of a server not drained. */
    public HealthReport(NodeId node, String version, int protocol, long chunkCount,
            long usedBytes, long freeBytes, long totalBytes, Scrub scrub, String disk) {
        this(node, version, protocol, chunkCount, usedBytes, freeBytes, totalBytes, scrub, disk, null);
    }

    /** Whether the server says it is drained: no new copies go to it. */
    public boolean drained() {
        return Boolean.TRUE.equals(draining);
    }

    /**
     * Results of the chunk server's scrubber since the server started. Immutable.
     *
     * @param chunksScrubbed chunks re-read and re-hashed
     * @param corruptFound corrupt chunks found (by the scrubber or while serving a read) and moved
     *     to quarantine
     * @param lastFullPass when the last complete pass over every stored chunk ended; null before
     *     the first one has
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Scrub(long chunksScrubbed, long corruptFound, Instant lastFullPass) {
        public Scrub {
            if (chunksScrubbed < 0 || corruptFound < 0) {
                throw new IllegalArgumentException("scrub counts cannot be negative: " + chunksScrubbed
                        + " scrubbed, " + corruptFound + " corrupt");
            }
        }
    }
}
