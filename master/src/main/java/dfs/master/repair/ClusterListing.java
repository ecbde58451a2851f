package dfs.master.repair;

import dfs.common.wire.ChunkId;
import dfs.common.wire.ChunkListing;
import dfs.common.wire.NodeId;
import dfs.master.cluster.ChunkClient;
import dfs.master.cluster.ChunkServerException;
import dfs.master.cluster.ServerRegistry;
import dfs.master.cluster.ServerStatus;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * What every live server holds, from one {@code GET /v1/chunks} each, asked in parallel: presence
 * checks cost one request per server, not one per chunk. A server whose listing failed, or that
 * answered as another node, is remembered as failed. Immutable once taken; thread-safe.
 */
final class ClusterListing {
    private final Map<NodeId, Map<ChunkId, Long>> listed;
    private final Map<NodeId, String> failed;
    private final Map<NodeId, InetSocketAddress> addresses;

    private ClusterListing(Map<NodeId, Map<ChunkId, Long>> listed, Map<NodeId, String> failed,
            Map<NodeId, InetSocketAddress> addresses) {
        this.listed = listed;
        this.failed = failed;
        this.addresses = addresses;
    }

    /** Lists every server the registry holds live now. */
    static ClusterListing take(ServerRegistry registry, ChunkClient client, Executor executor) {
        List<ServerStatus> live = registry.live();
        Map<NodeId, CompletableFuture<ChunkListing>> asked = new LinkedHashMap<>();
        Map<NodeId, InetSocketAddress> addresses = new HashMap<>();
        for (ServerStatus s : live) {
            NodeId node = s.node().orElseThrow();
            addresses.put(node, s.address());
            asked.put(node, CompletableFuture.supplyAsync(() -> {
                try {
                    return client.list(s.address());
                } catch (ChunkServerException e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            }, executor));
        }
        Map<NodeId, Map<ChunkId, Long>> listed = new HashMap<>();
        Map<NodeId, String> failed = new HashMap<>();
        asked.forEach((node, answer) -> {
            try {
                ChunkListing l = answer.join();
                if (!l.node().equals(node)) {
                    failed.put(node, "listing came from node " + l.node() + " instead");
                    return;
                }
                Map<ChunkId, Long> chunks = new HashMap<>();
                l.chunks().forEach(e -> chunks.put(e.id(), e.size()));
                listed.put(node, chunks);
            } catch (RuntimeException e) {
                failed.put(node, "listing failed: " + ChunkClient.unwrap(addresses.get(node), e).getMessage());
            }
        });
        return new ClusterListing(Map.copyOf(listed), Map.copyOf(failed), Map.copyOf(addresses));
    }

    /** The nodes whose listing arrived. */
    Set<NodeId> nodes() {
        return listed.keySet();
    }

    boolean listed(NodeId node) {
        return listed.containsKey(node);
    }

    /** The size {@code node} listed for {@code chunk}; empty when it does not hold it or was not listed. */
    OptionalLong size(NodeId node, ChunkId chunk) {
        Long size = listed.getOrDefault(node, Map.of()).get(chunk);
        return size == null ? OptionalLong.empty() : OptionalLong.of(size);
    }

    Map<ChunkId, Long> chunksOn(NodeId node) {
        return listed.getOrDefault(node, Map.of());
    }

    /** Why {@code node} was live but not listed. */
    Optional<String> failure(NodeId node) {
        return Optional.ofNullable(failed.get(node));
    }

    /** Where {@code node} was listed (or asked). */
    Optional<InetSocketAddress> address(NodeId node) {
        return Optional.ofNullable(addresses.get(node));
    }
}
