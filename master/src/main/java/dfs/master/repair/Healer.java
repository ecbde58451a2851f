package dfs.master.repair;

import dfs.common.wire.NodeId;
import dfs.master.cluster.ChunkClient;
import dfs.master.cluster.ServerRegistry;
import dfs.master.cluster.ServerStatus.Liveness;
import dfs.master.metadata.FileRecord;
import dfs.master.metadata.MetadataStore;
import dfs.master.placement.ReplicaPlacement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every chunk at {@code replication} good copies without anyone typing a command. Every
 * {@link RepairSettings#scanInterval} it scans the cluster (one listing per live server), then:
 *
 * <ol>
 *   <li>repairs each chunk that has a replica known bad — missing or corrupt on a live server, or
 *       on a server {@code DEAD} for {@code dead_after} — unless the servers that are merely
 *       suspect could still make up the count (a server that missed a beat is not abandoned);
 *   <li>once settled, moves a copy of each chunk whose copies share a machine while a live
 *       machine holds none ({@link ChunkRepairer#spread});
 *   <li>trims extra copies and deletes orphans on live servers ({@link StrayCollector}).
 * </ol>
 *
 * Copies run {@link RepairSettings#parallelism} at a time on the healer's own threads, so health
 * checks and transfers never wait for it. A download that met a bad replica asks for a deep check
 * and repair of that chunk with {@link #repairSoon}. Thread-safe.
 */
public final class Healer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Healer.class);
    /** Scans take at most one part in this many of the healer's time. */
    static final int SCAN_PACE = 20;

    private final Fsck fsck;
    private final ChunkRepairer repairer;
    private final StrayCollector strays;
    private final ServerRegistry registry;
    private final MetadataStore metadata;
    private final int replication;
    private final RepairSettings settings;
    private final Clock clock;
    private final Instant started;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService copies;
    private HealingStatus status = HealingStatus.NONE;
    private int lastUnrepairable;
    private volatile boolean closed;

    public Healer(Fsck fsck, ChunkRepairer repairer, ServerRegistry registry, ChunkClient client,
            MetadataStore metadata, InFlightChunks inFlight, int replication, RepairSettings settings, Clock clock) {
        this.fsck = fsck;
        this.repairer = repairer;
        this.registry = registry;
        this.metadata = metadata;
        this.replication = replication;
        this.settings = settings;
        this.clock = clock;
        this.started = clock.instant();
        this.strays = new StrayCollector(client, metadata, inFlight, replication, settings.orphanGrace(), clock);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("dfs-healer"));
        this.copies = Executors.newFixedThreadPool(settings.parallelism(), daemon("dfs-repair"));
    }

    /**
     * Keeps every orphan chunk, however long unreferenced, while {@code condition} holds: while
     * the metadata may not be the whole story (see {@code MetadataCopies#holdingBack}).
     */
    public void holdOrphansWhile(BooleanSupplier condition) {
        strays.holdOrphansWhile(condition);
    }

    /** Starts the periodic scans, the first after one interval (health checks go first). */
    public void start() {
        scheduleRound(settings.scanInterval());
    }

    private void scheduleRound(Duration delay) {
        try {
            scheduler.schedule(() -> scheduleRound(pace(settings.scanInterval(), tick())), delay.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed: no more rounds
        }
    }

    /**
     * The wait before the next round: the scan interval, or longer when scans are slow, so that
     * scanning takes at most one part in {@link #SCAN_PACE} of the healer's time however many
     * chunks the cluster holds (a scan lists every chunk of every live server and checks each
     * against the metadata).
     */
    static Duration pace(Duration interval, Duration lastScan) {
        Duration paced = lastScan.multipliedBy(SCAN_PACE - 1);
        return paced.compareTo(interval) > 0 ? paced : interval;
    }

    public synchronized HealingStatus status() {
        return status;
    }

    /** Remembers a scan's count of under-replicated chunks for {@code status}. */
    public synchronized void record(FsckReport report) {
        status = new HealingStatus(Optional.of(report.at()), status.scans() + 1, report.underReplicatedChunks(),
                status.chunksCopied(), status.extraCopiesTrimmed(), status.orphansDeleted());
    }

    private synchronized void count(long copied, long trimmed, long orphans) {
        status = new HealingStatus(status.lastScan(), status.scans(), status.underReplicatedChunks(),
                status.chunksCopied() + copied, status.extraCopiesTrimmed() + trimmed, status.orphansDeleted() + orphans);
    }

    /**
     * One round: scan, repair what is due, collect strays. Runs on the healer thread.
     *
     * @return how long the scan took (not the repairs, which wait for copies), for pacing
     */
    Duration tick() {
        long t0 = System.nanoTime();
        Duration scanned = Duration.ZERO;
        try {
            Fsck.Scan scan = fsck.scan(false);
            scanned = Duration.ofNanos(System.nanoTime() - t0);
            record(scan.report());
            List<ChunkReport> due = scan.report().damagedChunks().stream().filter(this::due).toList();
            List<RepairOutcome> outcomes = new ArrayList<>(repair(due));
            if (settled()) {
                outcomes.addAll(spread(scan.report().crowded()));
            }
            StrayCollector.Collected collected = strays.collect(scan.report(), scan.listing());
            count(0, collected.extraCopiesTrimmed(), collected.orphansDeleted());
            summarize(outcomes, collected, scan.report());
        } catch (RuntimeException e) {
            if (closed) {
                log.debug("healer round cut short by shutdown: {}", e.toString());
            } else {
                log.warn("healer round failed (next round in {}): {}", pace(settings.scanInterval(), scanned),
                        e.toString());
            }
        }
        return scanned;
    }

    /**
     * Whether the background repairs this chunk now: a replica is known bad, and the chunk is
     * short of copies (or holds a bad replica to drop) even counting the merely suspect ones.
     */
    private boolean due(ChunkReport chunk) {
        if (chunk.lost()) {
            return false; // nothing to copy from; fsck reports it
        }
        boolean settled = settled();
        boolean knownBad = false;
        int waiting = 0;
        for (ReplicaReport r : chunk.replicas()) {
            switch (r.state()) {
                case GOOD -> { }
                case MISSING, CORRUPT -> knownBad = true;
                case UNREACHABLE -> {
                    boolean gone = registry.statusOf(r.node()).map(s -> s.liveness() == Liveness.DEAD).orElse(settled);
                    if (gone) {
                        knownBad = true;
                    } else {
                        waiting++;
                    }
                }
            }
        }
        boolean dropBad = !chunk.in(ReplicaState.MISSING).isEmpty() || !chunk.in(ReplicaState.CORRUPT).isEmpty();
        return knownBad && (chunk.goodCount() + waiting < replication || dropBad);
    }

    /** Whether the master has run long enough to have heard from every server that is up. */
    private boolean settled() {
        return !clock.instant().isBefore(started.plus(settings.settle()));
    }

    /** Repairs {@code chunks}, {@link RepairSettings#parallelism} at a time, and waits for all. */
    public List<RepairOutcome> repair(List<ChunkReport> chunks) {
        List<RepairOutcome> outcomes = run(chunks, repairer::repair);
        count(outcomes.stream().mapToLong(o -> o.added().size()).sum(), 0, 0);
        return outcomes;
    }

    /**
     * Moves a copy of each of {@code chunks}, whose copies share a machine, to a machine that holds
     * none ({@link ChunkRepairer#spread}), {@link RepairSettings#parallelism} at a time; waits for all.
     */
    public List<RepairOutcome> spread(List<ChunkReport> chunks) {
        return countMoves(run(chunks, repairer::spread));
    }

    /**
     * Moves the copy on {@code node}, a server being drained, of each of {@code chunks} to another
     * server ({@link ChunkRepairer#moveOff}), {@link RepairSettings#parallelism} at a time; waits
     * for all.
     */
    public List<RepairOutcome> moveOff(List<ChunkReport> chunks, NodeId node) {
        return countMoves(run(chunks, (chunk, placement) -> repairer.moveOff(chunk, node, placement)));
    }

    /** Counts the copies {@code outcomes} made as copied, and those they dropped as trimmed. */
    private List<RepairOutcome> countMoves(List<RepairOutcome> outcomes) {
        count(outcomes.stream().mapToLong(o -> o.added().size()).sum(),
                outcomes.stream().mapToLong(o -> o.dropped().size()).sum(), 0);
        return outcomes;
    }

    private List<RepairOutcome> run(List<ChunkReport> chunks,
            BiFunction<ChunkReport, ReplicaPlacement, RepairOutcome> action) {
        if (chunks.isEmpty()) {
            return List.of();
        }
        ReplicaPlacement placement = new ReplicaPlacement();
        List<Future<RepairOutcome>> running = new ArrayList<>();
        for (ChunkReport c : chunks) {
            running.add(copies.submit(() -> action.apply(c, placement)));
        }
        List<RepairOutcome> outcomes = new ArrayList<>();
        for (Future<RepairOutcome> f : running) {
            outcomes.add(join(f));
        }
        return outcomes;
    }

    /**
     * Checks the named chunks of {@code file} deeply (every replica fetched and hashed) and
     * repairs them, in the background: a download found one of their replicas bad.
     */
    public void repairSoon(String file, Set<Integer> chunkIndexes) {
        try {
            copies.execute(() -> deepRepair(file, chunkIndexes));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.debug("healer stopped; chunks {} of {} are left to the next master", chunkIndexes, file);
        }
    }

    private void deepRepair(String file, Set<Integer> chunkIndexes) {
        {
            Optional<FileRecord> record = metadata.get(file);
            if (record.isEmpty()) {
                return;
            }
            for (int index : chunkIndexes) {
                if (index >= record.get().chunkCount()) {
                    continue;
                }
                ChunkReport chunk = fsck.checkDeep(record.get(), record.get().chunks().get(index));
                if (due(chunk)) {
                    RepairOutcome o = repairer.repair(chunk, new ReplicaPlacement());
                    count(o.added().size(), 0, 0);
                    log.info("after a bad read: {}", o.describe());
                }
            }
        }
    }

    private void summarize(List<RepairOutcome> outcomes, StrayCollector.Collected collected, FsckReport report) {
        long copied = outcomes.stream().mapToLong(o -> o.added().size()).sum();
        long repaired = outcomes.stream().filter(o -> o.result() == RepairOutcome.Result.REPAIRED).count();
        List<RepairOutcome> failed = outcomes.stream().filter(o -> o.result().leavesChunkUnrepaired()).toList();
        if (repaired > 0 || collected.extraCopiesTrimmed() > 0 || collected.orphansDeleted() > 0) {
            log.info("healer: {} chunk{} repaired ({} cop{} made), {} could not be; {} extra cop{} trimmed, {} orphan{}"
                    + " deleted; {} chunk{} under-replicated at the scan", repaired, repaired == 1 ? "" : "s", copied,
                    copied == 1 ? "y" : "ies", failed.size(), collected.extraCopiesTrimmed(),
                    collected.extraCopiesTrimmed() == 1 ? "y" : "ies", collected.orphansDeleted(),
                    collected.orphansDeleted() == 1 ? "" : "s", report.underReplicatedChunks(),
                    report.underReplicatedChunks() == 1 ? "" : "s");
        }
        if (failed.size() != lastUnrepairable) {
            lastUnrepairable = failed.size();
            if (!failed.isEmpty()) {
                log.warn("healer: {} chunk{} cannot be repaired now, e.g. {}", failed.size(),
                        failed.size() == 1 ? "" : "s", failed.get(0).describe());
            }
        }
    }

    private static RepairOutcome join(Future<RepairOutcome> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for chunk repairs", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("chunk repair failed: " + e.getCause(), e.getCause());
        }
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Stops scanning and lets running copies finish (a few seconds at most). */
    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        copies.shutdown();
        try {
            if (!copies.awaitTermination(10, TimeUnit.SECONDS)) {
                copies.shutdownNow();
            }
        } catch (InterruptedException e) {
            copies.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
