package dfs.master.cluster;

import dfs.common.wire.HealthReport;
import dfs.common.wire.NodeId;
import dfs.master.cluster.ServerStatus.Liveness;
import dfs.master.discovery.Candidate;
import dfs.master.discovery.Discovery;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's view of the cluster: every server discovery suggested, checked by periodic health
 * requests over mutual TLS. Liveness comes from these checks, never from mDNS alone: a server
 * killed without warning stays in mDNS caches for an hour, but stops answering at once.
 *
 * <p>A candidate becomes {@code LIVE} when it answers {@code /v1/health} with a certificate of
 * this cluster naming the node it reports; {@code SUSPECT} after a missed check; {@code DEAD}
 * once silent for {@code deadAfter}; {@code REJECTED} when it never proved membership.
 * Thread-safe.
 */
public final class ServerRegistry implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServerRegistry.class);
    /** While awaiting servers, how often what discovery found is checked again. */
    private static final long RECHECK_MILLIS = 250;

    private final Discovery discovery;
    private final ChunkClient client;
    private final Duration interval;
    private final Duration deadAfter;
    private final Clock clock;
    private final Executor probeExecutor;
    private final Map<InetSocketAddress, ServerStatus> servers = new LinkedHashMap<>();
    private ScheduledFuture<?> heartbeat;
    /** Once closed, probes still running (failing as the client closes) change and log nothing. */
    private boolean closed;

    public ServerRegistry(Discovery discovery, ChunkClient client, Duration interval, Duration deadAfter,
            Clock clock, Executor probeExecutor) {
        this.discovery = discovery;
        this.client = client;
        this.interval = interval;
        this.deadAfter = deadAfter;
        this.clock = clock;
        this.probeExecutor = probeExecutor;
    }

    /** Starts the periodic health checks. */
    public synchronized void start(ScheduledExecutorService scheduler) {
        if (heartbeat == null) {
            heartbeat = scheduler.scheduleWithFixedDelay(this::probeQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Checks every known and newly discovered server once, in parallel, and waits for the answers. */
    public void probe() {
        List<InetSocketAddress> targets = new ArrayList<>();
        Map<InetSocketAddress, Optional<NodeId>> announced = new LinkedHashMap<>();
        for (Candidate c : discovery.candidates()) {
            targets.add(c.address());
            announced.put(c.address(), c.node());
        }
        synchronized (this) {
            for (InetSocketAddress known : servers.keySet()) {
                if (!targets.contains(known)) {
                    targets.add(known);
                }
            }
        }
        CompletableFuture<?>[] probes = targets.stream()
                .map(a -> CompletableFuture.runAsync(() -> probe(a, announced.getOrDefault(a, Optional.empty())), probeExecutor))
                .toArray(CompletableFuture[]::new);
        CompletableFuture.allOf(probes).join();
        synchronized (this) {
            notifyAll();
        }
    }

    private void probeQuietly() {
        try {
            probe();
        } catch (RuntimeException e) {
            if (!isClosed()) { // a round that meets the master's shutdown fails, and that is no news
                log.warn("health check round failed: {}", e.toString());
            }
        }
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    private void probe(InetSocketAddress address, Optional<NodeId> announcedNode) {
        Instant now = clock.instant();
        try {
            HealthReport h = client.health(address, interval.plusSeconds(1));
            if (announcedNode.isPresent() && !announcedNode.get().equals(h.node())) {
                record(address, new ServerStatus(address, Optional.empty(), Liveness.REJECTED, Optional.empty(),
                        Instant.EPOCH, "announced node " + announcedNode.get() + " but answers as " + h.node()));
                return;
            }
            record(address, new ServerStatus(address, Optional.of(h.node()), Liveness.LIVE, Optional.of(h), now, ""));
        } catch (ChunkServerException e) {
            failed(address, now, e.getMessage(), e.unreachable() && isHandshakeRefusal(e));
        }
    }

    private static boolean isHandshakeRefusal(ChunkServerException e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof javax.net.ssl.SSLHandshakeException) {
                return true;
            }
        }
        return e.code().equals("identity_mismatch");
    }

    private synchronized void failed(InetSocketAddress address, Instant now, String why, boolean notAMember) {
        ServerStatus before = servers.get(address);
        if (before == null || before.node().isEmpty()) {
            Liveness l = notAMember ? Liveness.REJECTED : Liveness.DEAD;
            String note = notAMember ? "not a member of this cluster (TLS refused)" : why;
            record(address, new ServerStatus(address, Optional.empty(), l, Optional.empty(), Instant.EPOCH, note));
            return;
        }
        boolean dead = Duration.between(before.lastSeen(), now).compareTo(deadAfter) >= 0;
        record(address, new ServerStatus(address, before.node(), dead ? Liveness.DEAD : Liveness.SUSPECT,
                before.health(), before.lastSeen(), why));
    }

    private synchronized void record(InetSocketAddress address, ServerStatus status) {
        if (closed) {
            return;
        }
        ServerStatus before = servers.put(address, status);
        Liveness was = before == null ? null : before.liveness();
        if (was != status.liveness()) {
            String who = status.node().map(NodeId::hex).orElse("?");
            if (status.liveness() == Liveness.LIVE) {
                log.info("chunk server {} at {} is live", who, ChunkClient.format(address));
            } else {
                log.warn("chunk server {} at {} is {}: {}", who, ChunkClient.format(address), status.liveness().name().toLowerCase(), status.note());
            }
        }
        if (status.isLive()) {
            // a node that moved to a new address is the same node: forget the old address
            servers.entrySet().removeIf(e -> !e.getKey().equals(address) && e.getValue().node().equals(status.node()));
        }
    }

    /**
     * Adds servers remembered from an earlier run: they are checked like discovered ones, and
     * count as silent since now until they answer.
     */
    public synchronized void remember(List<KnownServers.Entry> known) {
        for (KnownServers.Entry k : known) {
            InetSocketAddress address = k.socketAddress();
            servers.putIfAbsent(address, new ServerStatus(address, Optional.of(k.node()), Liveness.SUSPECT,
                    Optional.empty(), clock.instant(), "remembered from an earlier run; not checked yet"));
        }
    }

    /**
     * A transfer to this server just failed: stop choosing it until the next health check says
     * otherwise.
     */
    public synchronized void suspect(NodeId node, String why) {
        servers.replaceAll((a, s) -> s.node().equals(Optional.of(node)) && s.liveness() == Liveness.LIVE
                ? new ServerStatus(a, s.node(), Liveness.SUSPECT, s.health(), s.lastSeen(), why) : s);
    }

    /** Servers that answered their last health check, most free space first. */
    public synchronized List<ServerStatus> live() {
        return servers.values().stream().filter(ServerStatus::isLive)
                .sorted(Comparator.comparingLong(ServerStatus::freeBytes).reversed()).toList();
    }

    /**
     * The live servers new copies may go to: {@link #live()} without those whose last health report
     * says a master drained them. Every placement of an upload or a repair chooses from these.
     */
    public synchronized List<ServerStatus> placeable() {
        return live().stream().filter(s -> !drained(s)).toList();
    }

    private static boolean drained(ServerStatus s) {
        return s.health().map(HealthReport::drained).orElse(false);
    }

    /**
     * The servers {@code given} names, as 'status' shows them: a node id, the start of one (4
     * digits or more), or an address {@code host:port}.
     */
    public synchronized List<ServerStatus> named(String given) {
        String g = given.strip().toLowerCase(java.util.Locale.ROOT);
        List<ServerStatus> found = new ArrayList<>();
        for (ServerStatus s : servers.values()) {
            String address = s.address().getHostString() + ":" + s.address().getPort();
            String ip = s.address().getAddress() == null ? address
                    : s.address().getAddress().getHostAddress() + ":" + s.address().getPort();
            boolean byNode = g.length() >= 4 && s.node().map(n -> n.hex().startsWith(g)).orElse(false);
            if ((byNode || address.equalsIgnoreCase(g) || ip.equals(g))
                    && found.stream().noneMatch(f -> f.node().isPresent() && f.node().equals(s.node()))) {
                found.add(s);
            }
        }
        return found;
    }

    /** The nodes whose last health report says a master drained them. */
    public synchronized Set<NodeId> draining() {
        Set<NodeId> drained = new HashSet<>();
        servers.values().stream().filter(ServerRegistry::drained).forEach(s -> s.node().ifPresent(drained::add));
        return Set.copyOf(drained);
    }

    /** Every server known, in discovery order. */
    public synchronized List<ServerStatus> all() {
        return List.copyOf(servers.values());
    }

    /** Where a node can be reached: its live address, or else its last known one. */
    public synchronized Optional<InetSocketAddress> addressOf(NodeId node) {
        Optional<NodeId> n = Optional.of(node);
        return servers.values().stream().filter(s -> s.node().equals(n))
                .max(Comparator.comparing((ServerStatus s) -> s.isLive()).thenComparing(ServerStatus::lastSeen))
                .map(ServerStatus::address);
    }

    public synchronized Optional<ServerStatus> statusOf(NodeId node) {
        Optional<NodeId> n = Optional.of(node);
        return servers.values().stream().filter(s -> s.node().equals(n)).findFirst();
    }

    /**
     * Probes until at least {@code count} servers are live or {@code timeout} passes; returns the
     * live servers either way. The servers known at the call (remembered from an earlier run, or
     * discovered already) are checked at once, and the ones discovery finds later within
     * {@value #RECHECK_MILLIS} ms of being found.
     */
    public List<ServerStatus> awaitLive(int count, Duration timeout) {
        Instant deadline = clock.instant().plus(timeout);
        try {
            while (true) {
                // what is known now, remembered or discovered, is checked at once: mDNS takes
                // seconds to find a server that has just started, or never finds one it cannot reach
                probe();
                List<ServerStatus> live = live();
                if (live.size() >= count || millisLeft(deadline) <= 0) {
                    return live;
                }
                long pause = Math.min(RECHECK_MILLIS, millisLeft(deadline));
                long start = System.nanoTime();
                int found = discovery.candidates().size();
                if (found < count) {
                    discovery.await(count, Duration.ofMillis(pause)); // ends early once enough are found
                }
                long rest = pause - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                if (discovery.candidates().size() <= found && rest > 0) {
                    synchronized (this) {
                        wait(rest); // nothing new found (or nothing to wait for): check again shortly
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return live();
        }
    }

    private long millisLeft(Instant deadline) {
        return Duration.between(clock.instant(), deadline).toMillis();
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (heartbeat != null) {
            heartbeat.cancel(false);
            heartbeat = null;
        }
    }
}
