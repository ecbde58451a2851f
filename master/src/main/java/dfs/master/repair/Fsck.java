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
import dfs.master.placement.ReplicaPlacement;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;

/**
 * Checks every file: for each chunk, the state of each recorded replica. Presence comes from one
 * chunk listing per live server ({@link ClusterListing}); a deep check also fetches every present
 * replica and compares its SHA-256 with the record, a few at a time. Reads only: repairs are
 * {@link ChunkRepairer}'s. Thread-safe; checks may run concurrently.
 */
public final class Fsck {
    private static final int DEEP_IN_FLIGHT = 8;

    private final ServerRegistry registry;
    private final ChunkClient client;
    private final MetadataStore metadata;
    private final int replication;
    private final Executor executor;
    private final Clock clock;

    public Fsck(ServerRegistry registry, ChunkClient client, MetadataStore metadata, int replication,
            Executor executor, Clock clock) {
        this.registry = registry;
        this.client = client;
        this.metadata = metadata;
        this.replication = replication;
        this.executor = executor;
        this.clock = clock;
    }

    /** Checks every file now; {@code deep} fetches and hashes every replica found present. */
    public FsckReport check(boolean deep) {
        return scan(deep).report();
    }

    /** A check together with the listings it was made from (for trimming and garbage collection). */
    record Scan(FsckReport report, ClusterListing listing) {}

    Scan scan(boolean deep) {
        Instant at = clock.instant();
        // metadata before listings: every replica recorded now was stored before, so it is listed
        List<FileRecord> files = metadata.list();
        ClusterListing listing = ClusterListing.take(registry, client, executor);
        Semaphore inFlight = new Semaphore(DEEP_IN_FLIGHT);
        Map<FileRecord, List<List<CompletableFuture<ReplicaReport>>>> pending = new java.util.LinkedHashMap<>();
        for (FileRecord file : files) {
            List<List<CompletableFuture<ReplicaReport>>> chunks = new ArrayList<>();
            for (ChunkRecord chunk : file.chunks()) {
                List<CompletableFuture<ReplicaReport>> replicas = new ArrayList<>();
                for (NodeId node : chunk.servers()) {
                    ReplicaReport listed = fromListing(node, chunk, listing);
                    if (deep && listed.isGood()) {
                        replicas.add(fetchLimited(listing.address(node).orElseThrow(), node, chunk, inFlight));
                    } else {
                        replicas.add(CompletableFuture.completedFuture(listed));
                    }
                }
                chunks.add(replicas);
            }
            pending.put(file, chunks);
        }
        List<FileReport> reports = new ArrayList<>();
        List<ChunkReport> crowded = new ArrayList<>();
        // one lookup per live server, not one per replica of every chunk: scans visit them all
        Map<NodeId, String> machines = new HashMap<>();
        registry.live().forEach(s -> machines.put(s.node().orElseThrow(), ReplicaPlacement.machine(s)));
        int spreadTo = Math.min(replication, (int) machines.values().stream().distinct().count());
        pending.forEach((file, chunks) -> {
            List<ChunkReport> checked = new ArrayList<>();
            for (int i = 0; i < chunks.size(); i++) {
                List<ReplicaReport> replicas = chunks.get(i).stream().map(CompletableFuture::join).toList();
                checked.add(new ChunkReport(file.name(), file.fileId(), file.chunks().get(i), replicas));
            }
            List<ChunkReport> damaged = checked.stream().filter(c -> c.damaged(replication)).toList();
            checked.stream().filter(c -> !c.damaged(replication) && crowded(c, machines, spreadTo)).forEach(crowded::add);
            reports.add(new FileReport(file.name(), FileReport.judge(checked, replication), file.chunkCount(), damaged));
        });
        // metadata again, after the listings: a chunk committed meanwhile is not taken for a stray
        return new Scan(new FsckReport(at, deep, replication, listing.nodes().size(), reports, strays(listing),
                crowded), listing);
    }

    /**
     * Whether the good copies of {@code chunk} sit on fewer than the {@code spreadTo} machines
     * they could be on, given the machine of each live server.
     */
    private static boolean crowded(ChunkReport chunk, Map<NodeId, String> machines, int spreadTo) {
        return spreadTo > 1
                && chunk.good().stream().map(n -> machines.getOrDefault(n, "?")).distinct().count() < spreadTo;
    }

    /**
     * Every chunk with a copy recorded on {@code node}, each with the state of all its copies from
     * one fresh chunk listing per live server, file by file.
     */
    public List<ChunkReport> chunksOn(NodeId node) {
        List<FileRecord> files = metadata.list(); // before the listings, as in a scan
        ClusterListing listing = ClusterListing.take(registry, client, executor);
        List<ChunkReport> on = new ArrayList<>();
        for (FileRecord file : files) {
            for (ChunkRecord chunk : file.chunks()) {
                if (chunk.servers().contains(node)) {
                    on.add(new ChunkReport(file.name(), file.fileId(), chunk,
                            chunk.servers().stream().map(n -> fromListing(n, chunk, listing)).toList()));
                }
            }
        }
        return on;
    }

    /** Fetches and hashes every replica of one chunk, without listings (after a download met a bad one). */
    public ChunkReport checkDeep(FileRecord file, ChunkRecord chunk) {
        List<CompletableFuture<ReplicaReport>> replicas = new ArrayList<>();
        for (NodeId node : chunk.servers()) {
            Optional<ServerStatus> status = registry.statusOf(node);
            Optional<InetSocketAddress> address = registry.addressOf(node);
            if (status.isPresent() && status.get().isLive() && address.isPresent()) {
                replicas.add(fetch(address.get(), node, chunk));
            } else {
                replicas.add(CompletableFuture.completedFuture(unreachable(node, status)));
            }
        }
        return new ChunkReport(file.name(), file.fileId(), chunk,
                replicas.stream().map(CompletableFuture::join).toList());
    }

    private ReplicaReport fromListing(NodeId node, ChunkRecord chunk, ClusterListing listing) {
        if (listing.listed(node)) {
            OptionalLong size = listing.size(node, chunk.id());
            if (size.isEmpty()) {
                return new ReplicaReport(node, ReplicaState.MISSING, "not in the server's chunk listing");
            }
            if (size.getAsLong() != chunk.size()) {
                return new ReplicaReport(node, ReplicaState.CORRUPT, "listed with " + size.getAsLong()
                        + " bytes but recorded with " + chunk.size());
            }
            return ReplicaReport.good(node);
        }
        Optional<String> failure = listing.failure(node);
        if (failure.isPresent()) {
            return new ReplicaReport(node, ReplicaState.UNREACHABLE, failure.get());
        }
        return unreachable(node, registry.statusOf(node));
    }

    private static ReplicaReport unreachable(NodeId node, Optional<ServerStatus> status) {
        String why = status.map(s -> "server " + s.liveness().name().toLowerCase(Locale.ROOT)
                + (s.note().isEmpty() ? "" : " (" + s.note() + ")")).orElse("server not discovered");
        return new ReplicaReport(node, ReplicaState.UNREACHABLE, why);
    }

    private CompletableFuture<ReplicaReport> fetchLimited(InetSocketAddress address, NodeId node, ChunkRecord chunk,
            Semaphore inFlight) {
        inFlight.acquireUninterruptibly();
        return fetch(address, node, chunk).whenComplete((r, e) -> inFlight.release());
    }

    /** Fetches one replica and judges its bytes against the record. Never completes exceptionally. */
    CompletableFuture<ReplicaReport> fetch(InetSocketAddress address, NodeId node, ChunkRecord chunk) {
        return client.get(address, chunk.id()).handle((bytes, error) -> {
            if (error == null) {
                return bytes.length == chunk.size() && ChunkClient.matches(bytes, chunk.sha256()) ? ReplicaReport.good(node)
                        : new ReplicaReport(node, ReplicaState.CORRUPT, "its bytes do not match the recorded SHA-256");
            }
            ChunkServerException e = ChunkClient.unwrap(address, error);
            if (e.status() == 404) {
                return new ReplicaReport(node, ReplicaState.MISSING, "the server no longer has it");
            }
            if (e.status() != 0 && "chunk_corrupt".equals(e.code())) {
                return new ReplicaReport(node, ReplicaState.CORRUPT, e.getMessage());
            }
            return new ReplicaReport(node, ReplicaState.UNREACHABLE, e.getMessage());
        });
    }

    private List<StrayCopy> strays(ClusterListing listing) {
        Map<ChunkId, Ref> refs = references(metadata.list());
        List<StrayCopy> strays = new ArrayList<>();
        for (NodeId node : listing.nodes()) {
            for (ChunkId id : listing.chunksOn(node).keySet()) {
                Ref ref = refs.get(id);
                if (ref == null) {
                    strays.add(new StrayCopy(node, id, Optional.empty()));
                } else if (!ref.chunk().servers().contains(node)) {
                    strays.add(new StrayCopy(node, id, Optional.of(ref.file())));
                }
            }
        }
        strays.sort(java.util.Comparator.comparing((StrayCopy s) -> s.node().hex()).thenComparing(s -> s.chunk().hex()));
        return strays;
    }

    /** Which file and chunk record every referenced chunk id belongs to. */
    static Map<ChunkId, Ref> references(List<FileRecord> files) {
        Map<ChunkId, Ref> refs = new HashMap<>();
        for (FileRecord f : files) {
            for (ChunkRecord c : f.chunks()) {
                refs.put(c.id(), new Ref(f.name(), c));
            }
        }
        return refs;
    }

    record Ref(String file, ChunkRecord chunk) {}
}
