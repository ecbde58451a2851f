package dfs.master.placement;

import dfs.common.wire.NodeId;
import dfs.master.cluster.ServerStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Chooses which servers hold the replicas of a chunk: distinct live servers, those with the most
 * free space first, counting the bytes already assigned to them during this transfer so that a
 * large upload spreads over every server instead of filling the emptiest one. Thread-safe.
 */
public final class ReplicaPlacement {
    private final Map<NodeId, Long> assigned = new HashMap<>();

    /**
     * Picks {@code count} distinct servers from {@code live}, none in {@code exclude}, and charges
     * {@code bytes} to each.
     *
     * @throws NotEnoughServersException when fewer than {@code count} candidates remain
     */
    public synchronized List<ServerStatus> choose(List<ServerStatus> live, int count, Set<NodeId> exclude, long bytes)
            throws NotEnoughServersException {
        List<ServerStatus> candidates = new ArrayList<>();
        for (ServerStatus s : live) {
            if (s.isLive() && !exclude.contains(s.node().orElseThrow())
                    && candidates.stream().noneMatch(c -> c.node().equals(s.node()))) {
                candidates.add(s);
            }
        }
        if (candidates.size() < count) {
            throw new NotEnoughServersException(count + exclude.size(), candidates.size() + exclude.size());
        }
        candidates.sort(Comparator.comparingLong(this::headroom).reversed()
                .thenComparing(s -> s.node().orElseThrow().hex()));
        List<ServerStatus> chosen = List.copyOf(candidates.subList(0, count));
        for (ServerStatus s : chosen) {
            assigned.merge(s.node().orElseThrow(), bytes, Long::sum);
        }
        return chosen;
    }

    private long headroom(ServerStatus s) {
        return s.freeBytes() - assigned.getOrDefault(s.node().orElseThrow(), 0L);
    }
}
