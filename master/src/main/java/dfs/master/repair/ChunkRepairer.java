package dfs.master.repair;

import dfs.common.wire.ChunkId;
import dfs.common.wire.NodeId;
import dfs.master.cluster.ChunkClient;
import dfs.master.cluster.ChunkServerException;
import dfs.master.cluster.ServerRegistry;
import dfs.master.cluster.ServerStatus;
import dfs.master.metadata.ChunkRecord;
import dfs.master.metadata.FileRecord;
import dfs.master.metadata.MetadataStore;
import dfs.master.placement.NotEnoughServersException;
import dfs.master.placement.ReplicaPlacement;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores one chunk to {@code replication} good copies: fetch it from a good replica through the
 * master → verify its SHA-256 → put it on live servers that do not hold it (each verifies the hash
 * on arrival) → commit the new list of holders, under the master's commit lock and only if the
 * chunk's record is still the one that was checked → delete the bad replicas that can be reached.
 * It also moves a copy of a chunk whose copies share a machine to one that holds none
 * ({@link #spread}), and a copy off a server being drained ({@link #moveOff}), the same way. The
 * chunk is claimed in {@link InFlightChunks} throughout, so its new copies are never taken for
 * strays before they are recorded. Thread-safe.
 */
public final class ChunkRepairer {
    private static final Logger log = LoggerFactory.getLogger(ChunkRepairer.class);

    private final ServerRegistry registry;
    private final ChunkClient client;
    private final MetadataStore metadata;
    private final Object commitLock;
    private final InFlightChunks inFlight;
    private final int replication;

    /**
     * @param commitLock the lock every metadata commit of the master takes, so a repair never
     *     races an upload or a delete of the same name
     */
    public ChunkRepairer(ServerRegistry registry, ChunkClient client, MetadataStore metadata, Object commitLock,
            InFlightChunks inFlight, int replication) {
        this.registry = registry;
        this.client = client;
        this.metadata = metadata;
        this.commitLock = commitLock;
        this.inFlight = inFlight;
        this.replication = replication;
    }

    /** Repairs the chunk {@code report} describes; {@code placement} spreads the copies of one batch. */
    public RepairOutcome repair(ChunkReport report, ReplicaPlacement placement) {
        if (!report.damaged(replication)) {
            return RepairOutcome.of(report, RepairOutcome.Result.UNCHANGED, "already " + report.goodCount() + " good copies");
        }
        return claimed(report, () -> repairClaimed(report, placement));
    }

    /**
     * Moves one good copy of a chunk whose copies share a machine to a live server on a machine
     * that holds none, if there is one: copy it there (verified as a repair copy is) → record the
     * new server in place of the moved copy → delete that copy. The chunk keeps its number of
     * copies throughout, so a failure at any step leaves it as safe as it was.
     */
    public RepairOutcome spread(ChunkReport report, ReplicaPlacement placement) {
        if (report.damaged(replication)) {
            return RepairOutcome.of(report, RepairOutcome.Result.UNCHANGED, "damaged: repaired, not moved");
        }
        return claimed(report, () -> spreadClaimed(report, placement));
    }

    /** Runs {@code action} with the chunk claimed, if it is free and still as {@code report} saw it. */
    private RepairOutcome claimed(ChunkReport report, Supplier<RepairOutcome> action) {
        ChunkId id = report.chunk().id();
        if (!inFlight.claim(id)) {
            return RepairOutcome.of(report, RepairOutcome.Result.BUSY, "another operation is working on this chunk");
        }
        try {
            // The report may predate another repair of this chunk that committed since (the healer
            // and an explicit fsck --repair both repair). Acting on it would re-copy the chunk onto
            // the server that now holds the committed copy, find the record changed, and withdraw
            // that very copy. Under the claim nobody else changes the chunk: check, then act.
            if (!stillCurrent(report)) {
                return RepairOutcome.of(report, RepairOutcome.Result.STALE, "the chunk changed since it was checked");
            }
            return action.get();
        } finally {
            inFlight.release(id);
        }
    }

    private RepairOutcome repairClaimed(ChunkReport report, ReplicaPlacement placement) {
        ChunkRecord chunk = report.chunk();
        Set<NodeId> good = new LinkedHashSet<>(report.good());
        Set<NodeId> corrupt = new LinkedHashSet<>(nodes(report, ReplicaState.CORRUPT));
        Set<NodeId> missing = new LinkedHashSet<>(nodes(report, ReplicaState.MISSING));
        Set<NodeId> waiting = new LinkedHashSet<>(nodes(report, ReplicaState.UNREACHABLE));
        List<NodeId> added = new ArrayList<>();
        if (good.size() < replication) {
            Optional<byte[]> data = fetchVerified(chunk, good, corrupt, missing, waiting);
            if (data.isEmpty()) {
                return RepairOutcome.of(report, RepairOutcome.Result.LOST, "no replica could be read and verified");
            }
            for (ServerStatus target : targets(chunk, replication - good.size(), good, corrupt, missing, placement)) {
                NodeId node = target.node().orElseThrow();
                if (store(report, target, data.get())) {
                    added.add(node);
                    corrupt.remove(node); // its bad copy was just replaced by a verified one
                    missing.remove(node);
                }
            }
        }
        List<NodeId> servers = new ArrayList<>(good);
        servers.addAll(added);
        if (servers.size() < replication) {
            servers.addAll(waiting); // they may come back; forget them only once enough copies exist
        }
        if (added.isEmpty() && Set.copyOf(servers).equals(Set.copyOf(chunk.servers()))) {
            return RepairOutcome.of(report, RepairOutcome.Result.NO_SERVER, "no live server could take a copy ("
                    + good.size() + " of " + replication + " good)");
        }
        try {
            if (!commit(report, servers)) {
                withdraw(chunk.id(), added);
                return RepairOutcome.of(report, RepairOutcome.Result.STALE, "the file changed meanwhile; nothing recorded");
            }
        } catch (IOException | RuntimeException e) {
            withdraw(chunk.id(), added);
            return RepairOutcome.of(report, RepairOutcome.Result.FAILED, "committing failed: " + e.getMessage());
        }
        List<NodeId> dropped = chunk.servers().stream().filter(n -> !servers.contains(n)).toList();
        for (NodeId node : corrupt) {
            if (!servers.contains(node)) {
                deleteBad(report, node);
            }
        }
        String detail = (added.isEmpty() ? "" : "copied to " + added + "; ")
                + (dropped.isEmpty() ? "" : "dropped " + dropped + "; ") + "now on " + servers;
        return new RepairOutcome(report, RepairOutcome.Result.REPAIRED, added, dropped, detail);
    }

    private RepairOutcome spreadClaimed(ChunkReport report, ReplicaPlacement placement) {
        ChunkRecord chunk = report.chunk();
        List<NodeId> good = report.good();
        Map<String, NodeId> byMachine = new HashMap<>();
        NodeId moved = null;
        for (NodeId node : good) {
            String machine = registry.statusOf(node).map(ReplicaPlacement::machine).orElse("?");
            if (byMachine.putIfAbsent(machine, node) != null) {
                moved = node; // the second copy seen on one machine
            }
        }
        Optional<ServerStatus> target = moved == null ? Optional.empty()
                : targets(chunk, 1, Set.copyOf(good), Set.of(), Set.of(), placement).stream().findFirst();
        if (target.isEmpty() || byMachine.containsKey(ReplicaPlacement.machine(target.get()))) {
            return RepairOutcome.of(report, RepairOutcome.Result.UNCHANGED, "no live machine without a copy");
        }
        if (target.get().freeBytes() < chunk.size()) {
            return RepairOutcome.of(report, RepairOutcome.Result.UNCHANGED, "no room on the machines without a copy");
        }
        return moveCopy(report, moved, target.get());
    }

    /**
     * Moves the copy of a chunk on {@code from}, a server being drained, to another live server
     * that does not hold the chunk, on a machine the chunk's other copies are not on where there is
     * one: copy it there (verified as a repair copy is) → record the new server in place of
     * {@code from} → delete the copy on {@code from}. A chunk that is damaged otherwise is repaired
     * instead (new copies never go to a server being drained), and a bad copy on {@code from} is
     * dropped by that repair. The chunk keeps its number of copies throughout.
     */
    public RepairOutcome moveOff(ChunkReport report, NodeId from, ReplicaPlacement placement) {
        if (!report.chunk().servers().contains(from)) {
            return RepairOutcome.of(report, RepairOutcome.Result.UNCHANGED, "no copy recorded on node " + from);
        }
        if (report.damaged(replication) || !report.good().contains(from)) {
            return repair(report, placement);
        }
        return claimed(report, () -> {
            Set<NodeId> others = new LinkedHashSet<>(report.good());
            others.remove(from);
            Optional<ServerStatus> target = targets(report.chunk(), 1, others, Set.of(), Set.of(), placement).stream()
                    .filter(s -> s.freeBytes() >= report.chunk().size()).findFirst();
            if (target.isEmpty()) {
                return RepairOutcome.of(report, RepairOutcome.Result.NO_SERVER,
                        "no other live server without a copy has room for it");
            }
            return moveCopy(report, from, target.get());
        });
    }

    /**
     * With the chunk claimed: copies it from a good replica to {@code target}, records
     * {@code target} in place of {@code moved}, then deletes the copy on {@code moved}.
     */
    private RepairOutcome moveCopy(ChunkReport report, NodeId moved, ServerStatus target) {
        ChunkRecord chunk = report.chunk();
        List<NodeId> good = report.good();
        Set<NodeId> stillGood = new LinkedHashSet<>(good);
        Optional<byte[]> data = fetchVerified(chunk, stillGood, new LinkedHashSet<>(), new LinkedHashSet<>(),
                new LinkedHashSet<>());
        if (data.isEmpty() || !stillGood.containsAll(good)) {
            return RepairOutcome.of(report, RepairOutcome.Result.FAILED, "a copy turned out bad; left to repair");
        }
        NodeId to = target.node().orElseThrow();
        if (!store(report, target, data.get())) {
            return RepairOutcome.of(report, RepairOutcome.Result.FAILED, "could not copy it to node " + to);
        }
        List<NodeId> servers = new ArrayList<>(chunk.servers());
        servers.set(servers.indexOf(moved), to);
        try {
            if (!commit(report, servers)) {
                withdraw(chunk.id(), List.of(to));
                return RepairOutcome.of(report, RepairOutcome.Result.STALE, "the file changed meanwhile; nothing recorded");
            }
        } catch (IOException | RuntimeException e) {
            withdraw(chunk.id(), List.of(to));
            return RepairOutcome.of(report, RepairOutcome.Result.FAILED, "committing failed: " + e.getMessage());
        }
        withdraw(chunk.id(), List.of(moved)); // if that fails, the copy is an extra one and gets trimmed
        return new RepairOutcome(report, RepairOutcome.Result.REPAIRED, List.of(to), List.of(moved),
                "moved a copy from node " + moved + " to node " + to + " on machine "
                        + ReplicaPlacement.machine(target) + "; now on " + servers);
    }

    private static List<NodeId> nodes(ChunkReport report, ReplicaState state) {
        return report.in(state).stream().map(ReplicaReport::node).toList();
    }

    /** Reads the chunk from a good replica; replicas found bad on the way move to their set. */
    private Optional<byte[]> fetchVerified(ChunkRecord chunk, Set<NodeId> good, Set<NodeId> corrupt,
            Set<NodeId> missing, Set<NodeId> waiting) {
        for (NodeId node : List.copyOf(good)) {
            Optional<InetSocketAddress> address = registry.addressOf(node);
            if (address.isEmpty()) {
                good.remove(node);
                waiting.add(node);
                continue;
            }
            try {
                byte[] data = client.get(address.get(), chunk.id()).join();
                if (data.length == chunk.size() && ChunkClient.matches(data, chunk.sha256())) {
                    return Optional.of(data);
                }
                log.warn("replica of chunk {} on node {} does not match its recorded SHA-256", chunk.id(), node);
                good.remove(node);
                corrupt.add(node);
            } catch (CompletionException e) {
                ChunkServerException failure = ChunkClient.unwrap(address.get(), e);
                log.warn("could not read chunk {} from node {} to copy it: {}", chunk.id(), node, failure.getMessage());
                good.remove(node);
                (failure.status() == 404 ? missing : failure.unreachable() ? waiting : corrupt).add(node);
            }
        }
        return Optional.empty();
    }

    /**
     * Up to {@code needed} live servers for new copies: servers not recorded for the chunk first
     * (on machines other than the good copies' where there are such), then, if too few, live
     * servers whose recorded copy is corrupt or missing (a put replaces it).
     */
    private List<ServerStatus> targets(ChunkRecord chunk, int needed, Set<NodeId> good, Set<NodeId> corrupt,
            Set<NodeId> missing, ReplicaPlacement placement) {
        List<ServerStatus> live = registry.placeable();
        List<ServerStatus> fresh = live.stream().filter(s -> !chunk.servers().contains(s.node().orElseThrow())
                || good.contains(s.node().orElseThrow())).toList();
        List<ServerStatus> bad = live.stream().filter(s -> corrupt.contains(s.node().orElseThrow())
                || missing.contains(s.node().orElseThrow())).toList();
        List<ServerStatus> chosen = new ArrayList<>();
        try {
            long unused = fresh.stream().filter(s -> !good.contains(s.node().orElseThrow())).count();
            chosen.addAll(placement.choose(fresh, (int) Math.min(needed, unused), good, chunk.size()));
            int more = Math.min(needed - chosen.size(), bad.size());
            chosen.addAll(placement.choose(bad, more, Set.of(), chunk.size()));
        } catch (NotEnoughServersException e) {
            throw new IllegalStateException("placement refused servers it was offered", e); // counts are checked above
        }
        return chosen;
    }

    private boolean store(ChunkReport report, ServerStatus target, byte[] data) {
        NodeId node = target.node().orElseThrow();
        try {
            client.put(target.address(), report.chunk().id(), data, report.chunk().sha256()).join();
            log.debug("copied chunk {} ({} chunk {}) to node {}", report.chunk().id(), report.file(),
                    report.chunk().index(), node);
            return true;
        } catch (CompletionException e) {
            log.warn("could not copy chunk {} of {} to node {}: {}", report.chunk().id(), report.file(), node,
                    ChunkClient.unwrap(target.address(), e).getMessage());
            return false;
        }
    }

    /** Whether the metadata still records the chunk exactly as the report saw it. */
    private boolean stillCurrent(ChunkReport report) {
        synchronized (commitLock) {
            Optional<FileRecord> now = metadata.get(report.file());
            return now.isPresent() && now.get().fileId().equals(report.fileId())
                    && now.get().chunks().get(report.chunk().index()).equals(report.chunk());
        }
    }

    /** Records {@code servers} for the chunk if its record is still the one checked. */
    private boolean commit(ChunkReport report, List<NodeId> servers) throws IOException {
        synchronized (commitLock) {
            Optional<FileRecord> now = metadata.get(report.file());
            if (now.isEmpty() || !now.get().fileId().equals(report.fileId())) {
                return false;
            }
            int index = report.chunk().index();
            if (!now.get().chunks().get(index).equals(report.chunk())) {
                return false;
            }
            metadata.put(now.get().withServers(index, servers));
            return true;
        }
    }

    /**
     * Deletes the chunk's copies on {@code nodes} (made for a commit that did not happen, or no
     * longer recorded); a copy left behind is an extra or orphan one, which the healer collects.
     */
    private void withdraw(ChunkId id, List<NodeId> added) {
        for (NodeId node : added) {
            registry.addressOf(node).ifPresent(a -> {
                try {
                    client.delete(a, id);
                } catch (ChunkServerException e) {
                    log.debug("withdrawing chunk {} from node {}: {}", id, node, e.getMessage());
                }
            });
        }
    }

    private void deleteBad(ChunkReport report, NodeId node) {
        Optional<ServerStatus> status = registry.statusOf(node);
        if (status.isEmpty() || !status.get().isLive()) {
            return; // unreachable now: when it is back, its copy is an extra one and gets trimmed
        }
        try {
            client.delete(status.get().address(), report.chunk().id());
            log.info("deleted corrupt replica of chunk {} ({} chunk {}) on node {}", report.chunk().id(),
                    report.file(), report.chunk().index(), node);
        } catch (ChunkServerException e) {
            log.warn("corrupt replica of chunk {} on node {} stays for now (trimmed later): {}", report.chunk().id(),
                    node, e.getMessage());
        }
    }
}
