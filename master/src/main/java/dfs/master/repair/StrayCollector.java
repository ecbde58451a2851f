package dfs.master.repair;

import dfs.common.wire.ChunkId;
import dfs.common.wire.NodeId;
import dfs.master.cluster.ChunkClient;
import dfs.master.cluster.ChunkServerException;
import dfs.master.metadata.ChunkRecord;
import dfs.master.metadata.FileRecord;
import dfs.master.metadata.MetadataStore;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what live servers hold without being recorded for it, found by a scan:
 *
 * <ul>
 *   <li>an <em>extra copy</em> of a file's chunk (its server was away while the chunk was
 *       re-replicated) is deleted once the chunk's recorded servers list it at least
 *       {@code replication} times;
 *   <li>an <em>orphan</em>, a chunk no file refers to (its file was deleted while the server was
 *       away, or an upload failed half-way), is deleted once consecutive scans spanning
 *       {@code grace} found it unreferenced.
 * </ul>
 *
 * A chunk held in {@link InFlightChunks} (an upload or repair in progress) is never touched, and
 * each deletion is decided again under the chunk's claim with the metadata as it is then. Not
 * thread-safe: one healer calls it.
 */
final class StrayCollector {
    private static final Logger log = LoggerFactory.getLogger(StrayCollector.class);

    private final ChunkClient client;
    private final MetadataStore metadata;
    private final InFlightChunks inFlight;
    private final int replication;
    private final Duration grace;
    private final Clock clock;
    private Map<StrayKey, Instant> firstSeen = new HashMap<>();
    /** Whether orphans are kept whatever their age; see {@link Healer#holdOrphansWhile}. */
    private volatile BooleanSupplier orphansOnHold = () -> false;

    StrayCollector(ChunkClient client, MetadataStore metadata, InFlightChunks inFlight, int replication,
            Duration grace, Clock clock) {
        this.client = client;
        this.metadata = metadata;
        this.inFlight = inFlight;
        this.replication = replication;
        this.grace = grace;
        this.clock = clock;
    }

    void holdOrphansWhile(BooleanSupplier condition) {
        orphansOnHold = condition;
    }

    /** What one collection did. */
    record Collected(int extraCopiesTrimmed, int orphansDeleted, int orphansWaiting) {}

    Collected collect(FsckReport report, ClusterListing listing) {
        Instant now = clock.instant();
        int trimmed = 0;
        Map<StrayKey, Instant> seen = new HashMap<>();
        List<StrayKey> due = new ArrayList<>();
        for (StrayCopy stray : report.strays()) {
            if (!stray.orphan()) {
                trimmed += trimExtra(stray, listing) ? 1 : 0;
                continue;
            }
            if (inFlight.isBusy(stray.chunk())) {
                continue; // an upload or repair in progress: not an orphan, and its clock starts over
            }
            StrayKey key = new StrayKey(stray.node(), stray.chunk());
            Instant first = firstSeen.getOrDefault(key, now);
            seen.put(key, first);
            if (first.isBefore(now) && Duration.between(first, now).compareTo(grace) >= 0) {
                due.add(key);
            }
        }
        firstSeen = seen; // an orphan missing from this scan must start its grace over
        int deleted = deleteOrphans(due, listing);
        return new Collected(trimmed, deleted, seen.size() - deleted);
    }

    private boolean trimExtra(StrayCopy stray, ClusterListing listing) {
        ChunkId id = stray.chunk();
        if (!inFlight.claim(id)) {
            return false;
        }
        try {
            Optional<ChunkRecord> chunk = metadata.get(stray.file().orElseThrow()).flatMap(f -> find(f, id));
            if (chunk.isEmpty() || chunk.get().servers().contains(stray.node())) {
                return false; // no longer a chunk of that file, or now recorded on this node
            }
            long listedGood = chunk.get().servers().stream()
                    .filter(n -> listing.size(n, id).orElse(-1) == chunk.get().size()).count();
            if (listedGood < replication) {
                return false; // keep it until the recorded copies are enough without it
            }
            if (delete(stray.node(), id, listing)) {
                log.info("trimmed extra copy of chunk {} ({} chunk {}) on node {}: recorded copies are on {}", id,
                        stray.file().get(), chunk.get().index(), stray.node(), chunk.get().servers());
                return true;
            }
            return false;
        } finally {
            inFlight.release(id);
        }
    }

    private int deleteOrphans(List<StrayKey> due, ClusterListing listing) {
        if (due.isEmpty()) {
            return 0;
        }
        if (metadata.size() == 0 || orphansOnHold.getAsBoolean()) {
            // an empty metadata may be one the master machine lost: its chunks wait for 'dfs recover'
            log.debug("{} orphan chunk(s) kept: the metadata is empty, or was at start with a copy on the servers",
                    due.size());
            return 0;
        }
        Set<ChunkId> claimed = new LinkedHashSet<>();
        for (StrayKey key : due) {
            if (claimed.contains(key.chunk()) || inFlight.claim(key.chunk())) {
                claimed.add(key.chunk());
            }
        }
        int deleted = 0;
        try {
            // read under the claims: an upload holds its ids until committed, so this is final
            Set<ChunkId> referenced = metadata.referencedChunks();
            Map<NodeId, List<StrayKey>> byNode = new LinkedHashMap<>();
            for (StrayKey key : due) {
                if (claimed.contains(key.chunk()) && !referenced.contains(key.chunk())) {
                    byNode.computeIfAbsent(key.node(), n -> new ArrayList<>()).add(key);
                }
            }
            for (Map.Entry<NodeId, List<StrayKey>> orphans : byNode.entrySet()) {
                deleted += deleteOrphans(orphans.getKey(), orphans.getValue(), listing);
            }
        } finally {
            inFlight.releaseAll(claimed);
        }
        return deleted;
    }

    /** Deletes orphans on one node, in few requests ({@link ChunkClient#deleteMany}); how many went. */
    private int deleteOrphans(NodeId node, List<StrayKey> orphans, ClusterListing listing) {
        Optional<InetSocketAddress> address = listing.address(node);
        if (address.isEmpty()) {
            return 0;
        }
        try {
            int deleted = client.deleteMany(address.get(), orphans.stream().map(StrayKey::chunk).toList());
            Instant since = orphans.stream().map(firstSeen::get).filter(Objects::nonNull).min(Instant::compareTo)
                    .orElse(null);
            if (orphans.size() == 1 && deleted == 1) {
                log.info("deleted orphan chunk {} on node {}: no file has referred to it since {}",
                        orphans.get(0).chunk(), node, since);
            } else if (deleted > 0) {
                log.info("deleted {} orphan chunks on node {}: no file referred to them, the first since {}",
                        deleted, node, since);
            }
            orphans.forEach(firstSeen::remove);
            return deleted;
        } catch (ChunkServerException e) {
            log.warn("could not delete {} orphan chunk(s) on node {}: {}", orphans.size(), node, e.getMessage());
            return 0;
        }
    }

    private boolean delete(NodeId node, ChunkId id, ClusterListing listing) {
        Optional<InetSocketAddress> address = listing.address(node);
        if (address.isEmpty()) {
            return false;
        }
        try {
            return client.delete(address.get(), id);
        } catch (ChunkServerException e) {
            log.warn("could not delete stray chunk {} on node {}: {}", id, node, e.getMessage());
            return false;
        }
    }

    private static Optional<ChunkRecord> find(FileRecord file, ChunkId id) {
        return file.chunks().stream().filter(c -> c.id().equals(id)).findFirst();
    }

    private record StrayKey(NodeId node, ChunkId chunk) {}
}
