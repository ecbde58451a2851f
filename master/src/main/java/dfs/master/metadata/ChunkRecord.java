package dfs.master.metadata;

import dfs.common.crypto.Sha256;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dfs.common.wire.ChunkId;
import dfs.common.wire.NodeId;
import java.util.HashSet;
import java.util.List;

/**
 * Where one chunk of a file is stored: its position in the file, its id, the size and SHA-256 of
 * the stored (sealed) bytes, and the chunk servers holding a replica.
 *
 * <p>{@code servers} lists distinct nodes in the order they were written; it may be empty, which
 * records that every replica was lost rather than hiding the loss by dropping the file. Immutable
 * and thread-safe.
 */
@JsonPropertyOrder({"index", "id", "size", "sha256", "servers"})
public record ChunkRecord(int index, ChunkId id, long size, String sha256, List<NodeId> servers) {

    public ChunkRecord {
        if (index < 0) {
            throw new IllegalArgumentException("negative chunk index " + index);
        }
        if (id == null) {
            throw new IllegalArgumentException("chunk " + index + ": id is required");
        }
        if (size < 0) {
            throw new IllegalArgumentException("chunk " + id + ": negative size " + size);
        }
        if (!Sha256.isHex(sha256)) {
            throw new IllegalArgumentException("chunk " + id + ": sha256 '"
                    + FileNames.printable(sha256) + "' is not 64 lowercase hex digits");
        }
        try {
            servers = List.copyOf(servers); // refuses a null list or element, without a stream per record
        } catch (NullPointerException e) {
            throw new IllegalArgumentException("chunk " + id + ": servers must be a list of node ids");
        }
        if (servers.size() > 1 && (servers.size() == 2 ? servers.get(0).equals(servers.get(1))
                : new HashSet<>(servers).size() != servers.size())) {
            throw new IllegalArgumentException("chunk " + id + ": servers " + servers
                    + " name a node twice; each replica must be on a distinct node");
        }
    }

    /** This chunk with its replicas on {@code newServers} instead. */
    public ChunkRecord withServers(List<NodeId> newServers) {
        return new ChunkRecord(index, id, size, sha256, newServers);
    }
}
