package dfs.master.transfer;

import dfs.common.crypto.ChunkSeal;
import dfs.common.crypto.Bindings;
import dfs.common.crypto.MasterKey;
import dfs.common.crypto.SecretKey256;
import dfs.common.crypto.Sha256;
import dfs.common.config.HostPort;
import dfs.common.config.ReplicationPath;
import dfs.common.wire.ChunkId;
import dfs.common.wire.ForwardHop;
import dfs.common.wire.NodeId;
import dfs.common.wire.Protocol;
import dfs.master.cluster.ChunkClient;
import dfs.master.cluster.ChunkServerException;
import dfs.master.cluster.SealedChunk;
import dfs.master.cluster.ServerRegistry;
import dfs.master.cluster.ServerStatus;
import dfs.master.metadata.ChunkRecord;
import dfs.master.metadata.FileId;
import dfs.master.metadata.FileRecord;
import dfs.master.placement.NotEnoughRoomException;
import dfs.master.placement.NotEnoughServersException;
import dfs.master.placement.ReplicaPlacement;
import dfs.master.repair.InFlightChunks;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads one file: read → split → seal → hash → choose servers → put each chunk on the first,
 * which passes it on to the others (pipelined replication, {@link Protocol#FORWARD_HEADER}), so
 * the master's link carries each chunk once; replicas the chain did not reach are put directly.
 * The file's recorded digest is that of its chunks' hashes ({@link #chunksDigest}).
 * The file is streamed: at most {@code maxInFlight} chunks are in memory at once. A replica whose
 * server fails is re-placed on another live server; if that is impossible, every replica stored
 * so far is deleted and the upload fails, leaving nothing half-done. The caller commits the
 * returned record to the metadata, then releases its chunk ids from {@link InFlightChunks}.
 * Thread-safe; one instance serves many uploads.
 */
public final class UploadPipeline {
    private static final Logger log = LoggerFactory.getLogger(UploadPipeline.class);

    private final ServerRegistry registry;
    private final ChunkClient client;
    private final int replication;
    private final int chunkSize;
    private final int maxInFlight;
    private final Executor cpu;
    private final InFlightChunks pending;
    private final ReplicationPath path;
    private final Map<InetAddress, Boolean> local = new ConcurrentHashMap<>();

    /**
     * @param pending where the ids of chunks being stored are claimed before their first PUT, so
     *     garbage collection leaves them alone; the pipeline releases them when an upload fails,
     *     the caller once it has committed the returned record
     * @param path whether chunks are passed on from server to server ({@code replication_path})
     */
    public UploadPipeline(ServerRegistry registry, ChunkClient client, int replication, ReplicationPath path,
            int chunkSize, int maxInFlight, Executor cpu, InFlightChunks pending) {
        this.pending = pending;
        this.path = path;
        this.registry = registry;
        this.client = client;
        this.replication = replication;
        this.chunkSize = chunkSize;
        this.maxInFlight = maxInFlight;
        this.cpu = cpu;
    }

    /** Stores every chunk of {@code source} and returns the record describing it, not yet committed. */
    public FileRecord upload(Path source, String name, MasterKey masterKey, Progress progress) throws IOException {
        // a file rewritten while it is read would be stored as a mix of two versions: its time of last
        // change, taken before the first byte is read, must be the same after the last
        BasicFileAttributes before = Files.readAttributes(source, BasicFileAttributes.class);
        FileTime changed = before.lastModifiedTime();
        long size = before.size();
        int chunkCount = Math.toIntExact((size + chunkSize - 1) / chunkSize);
        requireRoom(name, storedBytes(size));
        FileId fileId = FileId.random();
        SecretKey256 dataKey = SecretKey256.generate();
        ReplicaPlacement placement = new ReplicaPlacement();
        ConcurrentLinkedQueue<Stored> stored = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<ChunkId> claimed = new ConcurrentLinkedQueue<>();
        List<CompletableFuture<ChunkRecord>> chunks = new ArrayList<>(chunkCount);
        Semaphore inFlight = new Semaphore(maxInFlight);
        BufferPool plains = new BufferPool(chunkSize, maxInFlight + 1);
        BufferPool sealeds = new BufferPool(ChunkSeal.sealedLength(chunkSize), maxInFlight + 1);
        AtomicReference<Throwable> failed = new AtomicReference<>();
        progress.start(name, size);
        try (InputStream in = Files.newInputStream(source)) {
            for (int i = 0; i < chunkCount; i++) {
                if (progress.cancelled()) {
                    throw new TransferCancelledException("upload of " + name + " cancelled; nothing of it was kept");
                }
                int len = (int) Math.min(chunkSize, size - (long) i * chunkSize);
                byte[] plain = plains.take(len);
                if (in.readNBytes(plain, 0, len) != len) {
                    throw new EOFException(source + " shrank while it was being uploaded; upload it again");
                }
                acquire(inFlight);
                int index = i;
                CompletableFuture<byte[]> sealing = CompletableFuture.supplyAsync(() -> {
                    byte[] sealed = sealeds.take(ChunkSeal.sealedLength(len));
                    ChunkSeal.sealInto(dataKey, Bindings.chunk(fileId.hex(), index, chunkCount), plain, 0, len, sealed);
                    plains.give(plain);
                    return sealed;
                }, cpu);
                CompletableFuture<ChunkRecord> chunk = sealing
                        .thenCompose(sealed -> storeReplicas(index, sealed, placement, stored, claimed))
                        .whenComplete((r, e) -> {
                            sealing.thenAccept(sealeds::give);
                            inFlight.release();
                            if (e == null) {
                                progress.advance(len);
                            } else {
                                failed.compareAndSet(null, e);
                            }
                        });
                chunks.add(chunk);
                if (failed.get() != null) {
                    break; // a chunk failed for good: stop reading, report it below
                }
            }
            if (failed.get() != null) {
                for (CompletableFuture<ChunkRecord> c : chunks) {
                    join(c);
                }
            }
            if (in.read() != -1) {
                throw new IOException(source + " grew while it was being uploaded; upload it again");
            }
            if (!Files.getLastModifiedTime(source).equals(changed)) {
                throw new IOException(source + " was changed while it was being uploaded, so it was not kept; upload"
                        + " it again once nothing writes to it (or upload a copy)");
            }
            List<ChunkRecord> records = new ArrayList<>(chunkCount);
            for (CompletableFuture<ChunkRecord> c : chunks) {
                records.add(join(c));
            }
            String sha256 = chunksDigest(records);
            String wrapped = masterKey.wrap(dataKey, Bindings.fileKey(fileId.hex(), size, chunkSize, chunkCount, sha256));
            return new FileRecord(name, fileId, size, chunkSize, chunkCount, sha256, wrapped, Instant.now(), records);
        } catch (IOException | RuntimeException e) {
            CompletableFuture.allOf(chunks.toArray(CompletableFuture[]::new)).exceptionally(x -> null).join();
            removeAll(stored);
            pending.releaseAll(claimed);
            throw e;
        } finally {
            progress.finish();
        }
    }

    /** Bytes a file of {@code size} plaintext bytes takes on one chunk server: its sealed chunks. */
    public long storedBytes(long size) {
        long full = size / chunkSize;
        int rest = (int) (size % chunkSize);
        return full * ChunkSeal.sealedLength(chunkSize) + (rest > 0 ? ChunkSeal.sealedLength(rest) : 0);
    }

    /**
     * Refuses, before anything is stored, an upload of {@code what} the live servers surely cannot
     * hold: too few of them, or too little free space reported for {@code storedBytes} on
     * {@code replication} distinct ones. Passing is no promise: reports are a heartbeat old, and a
     * server that runs out of room on the way refuses its chunk, which then goes elsewhere.
     */
    public void requireRoom(String what, long storedBytes) throws IOException {
        List<ServerStatus> live = registry.placeable();
        if (live.size() < replication) {
            throw new NotEnoughServersException(replication, live.size());
        }
        long room = ReplicaPlacement.room(live, replication);
        if (storedBytes > room) {
            throw new NotEnoughRoomException(what, storedBytes, replication, live, room);
        }
    }

    /** Puts one sealed chunk on {@code replication} distinct servers, re-placing failed replicas. */
    private CompletableFuture<ChunkRecord> storeReplicas(int index, byte[] sealed, ReplicaPlacement placement,
            ConcurrentLinkedQueue<Stored> stored, ConcurrentLinkedQueue<ChunkId> claimed) {
        ChunkId id = ChunkId.random();
        pending.claim(id); // 128 random bits: never already held
        claimed.add(id);
        SealedChunk chunk = SealedChunk.of(id, sealed);
        Set<NodeId> tried = new HashSet<>();
        List<ServerStatus> targets;
        try {
            targets = placement.choose(registry.placeable(), replication, Set.of(), sealed.length);
        } catch (NotEnoughServersException e) {
            return CompletableFuture.failedFuture(e);
        }
        for (ServerStatus target : targets) {
            tried.add(target.node().orElseThrow());
        }
        ServerStatus first = targets.get(0);
        List<ServerStatus> rest = targets.subList(1, targets.size());
        Optional<List<ForwardHop>> chain = chains(targets, sealed.length) ? hops(rest) : Optional.empty();
        if (chain.isEmpty()) {
            List<CompletableFuture<NodeId>> replicas = new ArrayList<>();
            for (ServerStatus target : targets) {
                replicas.add(putWithFailover(target, chunk, placement, tried, stored));
            }
            return record(index, chunk, replicas);
        }
        return client.put(first.address(), chunk, chain.get()).handle((ack, e) -> {
            List<CompletableFuture<NodeId>> replicas = new ArrayList<>();
            if (e == null) {
                stored.add(new Stored(first, id));
                replicas.add(CompletableFuture.completedFuture(first.node().orElseThrow()));
            } else {
                replicas.add(replace(first, e, true, chunk, placement, tried, stored));
            }
            List<NodeId> forwarded = e == null ? ack.forwardedTo() : List.of();
            if (e == null && forwarded.size() < rest.size()) {
                log.info("chunk {}: node {} passed it on to {} of {} servers ({}); sending the rest directly", id,
                        first.node().orElseThrow(), forwarded.size(), rest.size(), ack.forwardFailure());
            }
            for (ServerStatus target : rest) {
                if (forwarded.contains(target.node().orElseThrow())) {
                    replicas.add(confirm(target, first, chunk, placement, tried, stored));
                } else {
                    replicas.add(putWithFailover(target, chunk, placement, tried, stored));
                }
            }
            return record(index, chunk, replicas);
        }).thenCompose(record -> record);
    }

    /** The chunk's record once every replica is stored, in the order of {@code replicas}. */
    private static CompletableFuture<ChunkRecord> record(int index, SealedChunk chunk,
            List<CompletableFuture<NodeId>> replicas) {
        return CompletableFuture.allOf(replicas.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<NodeId> holders = replicas.stream().map(CompletableFuture::join).toList();
            return new ChunkRecord(index, chunk.id(), chunk.size(), chunk.sha256(), holders);
        });
    }

    /**
     * Checks with {@code target} itself that it holds the replica {@code via} says it passed on:
     * the size and the hash it checked the bytes against on arrival must be the master's. A
     * server passing chunks on could otherwise alter a replica and its hash together, and leave
     * a chunk with one good copy while the metadata counts two. A replica found absent is sent
     * to {@code target} directly; one holding other bytes is placed on another server, without
     * holding it against {@code target}, which only kept what it was given.
     */
    private CompletableFuture<NodeId> confirm(ServerStatus target, ServerStatus via, SealedChunk chunk,
            ReplicaPlacement placement, Set<NodeId> tried, ConcurrentLinkedQueue<Stored> stored) {
        NodeId node = target.node().orElseThrow();
        ChunkId id = chunk.id();
        return client.verifiedStat(target.address(), id).handle((held, e) -> {
            if (e != null) {
                log.warn("node {} does not confirm the copy of chunk {} that node {} passed on ({}); sending it"
                        + " directly", node, id, via.node().orElseThrow(), ChunkClient.unwrap(target.address(), e)
                        .getMessage());
                return putWithFailover(target, chunk, placement, tried, stored);
            }
            stored.add(new Stored(target, id)); // removed with the rest if the upload fails
            if (held.size() == chunk.size() && held.sha256().equals(chunk.sha256())) {
                return CompletableFuture.completedFuture(node);
            }
            ChunkServerException altered = new ChunkServerException(target.address(), 502, "bad_forward", "node "
                    + node + " holds other bytes for chunk " + id + " than node " + via.node().orElseThrow()
                    + " was given to pass on", null);
            return replace(target, altered, false, chunk, placement, tried, stored);
        }).thenCompose(replica -> replica);
    }

    /** Whether this chunk goes to its first server only, to be passed on to the others. */
    private boolean chains(List<ServerStatus> targets, int sealedLength) {
        return targets.size() >= 2
                && path.chains(sealedLength, () -> targets.stream().noneMatch(t -> onThisMachine(t.address())));
    }

    /** Whether {@code address} is one of this machine's own (loopback included); remembered per address. */
    private boolean onThisMachine(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        if (ip == null) {
            return false; // unresolved: a name, reached over the network
        }
        return local.computeIfAbsent(ip, a -> {
            try {
                return a.isLoopbackAddress() || a.isAnyLocalAddress() || NetworkInterface.getByInetAddress(a) != null;
            } catch (SocketException e) {
                return false;
            }
        });
    }

    /**
     * The forward chain through {@code targets}; empty when one of their addresses cannot be
     * written in the header (an IPv6 address with a zone, say), and the master stores on each.
     */
    private static Optional<List<ForwardHop>> hops(List<ServerStatus> targets) {
        List<ForwardHop> hops = new ArrayList<>(targets.size());
        for (ServerStatus t : targets) {
            try {
                hops.add(new ForwardHop(t.node().orElseThrow(), new HostPort(t.address().getHostString(),
                        t.address().getPort())));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        return Optional.of(hops);
    }

    private CompletableFuture<NodeId> putWithFailover(ServerStatus target, SealedChunk chunk,
            ReplicaPlacement placement, Set<NodeId> tried, ConcurrentLinkedQueue<Stored> stored) {
        NodeId node = target.node().orElseThrow();
        return client.put(target.address(), chunk, List.of()).thenApply(ack -> {
            stored.add(new Stored(target, chunk.id()));
            return node;
        }).exceptionallyCompose(e -> replace(target, e, true, chunk, placement, tried, stored));
    }

    /**
     * Stores the replica {@code target} failed to take on another live server; fails when the
     * failure was not the server's own (another would refuse the same) or no server is left.
     *
     * @param suspect whether {@code target} is to be held suspect (not chosen until it answers a
     *     health check again)
     */
    private CompletableFuture<NodeId> replace(ServerStatus target, Throwable e, boolean suspect, SealedChunk chunk,
            ReplicaPlacement placement, Set<NodeId> tried, ConcurrentLinkedQueue<Stored> stored) {
        NodeId node = target.node().orElseThrow();
        ChunkId id = chunk.id();
        ChunkServerException failure = ChunkClient.unwrap(target.address(), e);
        if (!failure.serversFault()) {
            return CompletableFuture.failedFuture(failure); // refused for a reason another server would share
        }
        if (suspect) {
            registry.suspect(node, failure.getMessage());
        }
        ServerStatus next;
        synchronized (tried) {
            try {
                next = placement.choose(registry.placeable(), 1, Set.copyOf(tried), chunk.size()).get(0);
            } catch (NotEnoughServersException none) {
                IOException why = new IOException("disk_full".equals(failure.code())
                        ? "no live chunk server has room left for chunk " + id + " (" + failure.getMessage() + ")"
                        : "chunk " + id + " lost its replica on node " + node + " (" + failure.getMessage()
                                + ") and no other live server is left to take it", failure);
                return CompletableFuture.failedFuture(why);
            }
            tried.add(next.node().orElseThrow());
        }
        log.warn("replica of chunk {} moved from node {} to node {}: {}", id, node, next.node().orElseThrow(),
                failure.getMessage());
        return putWithFailover(next, chunk, placement, tried, stored);
    }

    private void removeAll(ConcurrentLinkedQueue<Stored> stored) {
        for (Stored s : stored) {
            try {
                client.delete(s.server().address(), s.id());
            } catch (ChunkServerException e) {
                log.warn("could not remove chunk {} of a failed upload from {}: {} (garbage collection will)",
                        s.id(), ChunkClient.format(s.server().address()), e.getMessage());
            }
        }
    }

    private record Stored(ServerStatus server, ChunkId id) {}

    /**
     * The file's digest: SHA-256 over its sealed chunks' SHA-256s, in order. Bound with the file's
     * key, it pins the chunk list the upload recorded, for the cost of hashing 32 bytes a chunk;
     * hashing the plaintext once more would cost a quarter of the upload's CPU and add nothing the
     * chunks' authentication does not already guarantee (see {@link DownloadPipeline}).
     */
    static String chunksDigest(List<ChunkRecord> chunks) {
        MessageDigest digest = Sha256.newDigest();
        HexFormat hex = HexFormat.of();
        for (ChunkRecord c : chunks) {
            digest.update(hex.parseHex(c.sha256()));
        }
        return Sha256.hex(digest);
    }

    private static void acquire(Semaphore s) throws IOException {
        try {
            s.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("upload interrupted");
        }
    }

    /** Waits for a stage and rethrows its failure as the IOException it is. */
    static <T> T join(CompletableFuture<T> f) throws IOException {
        try {
            return f.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(cause.getMessage(), cause);
        }
    }
}
