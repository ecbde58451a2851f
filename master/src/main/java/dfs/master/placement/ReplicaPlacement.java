package dfs.master.placement;

import dfs.common.wire.HealthReport;
import dfs.common.wire.NodeId;
import dfs.master.cluster.ServerStatus;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.LongStream;

/**
 * Chooses which servers hold the replicas of a chunk: distinct live servers on distinct machines
 * where there are enough machines, those with the most free space first. Servers reached at one
 * IP address are one machine ({@link #machine}): a chunk whose two copies sit on two servers of
 * one machine is lost with that machine, so the copies share a machine only when too few machines
 * are live (every server of {@code dfs local} is on 127.0.0.1).
 *
 * <p>Servers within a twentieth of the most free space count as equally free and take turns, least
 * bytes already assigned to them during this transfer first (ties broken at random), so that a
 * large upload spreads over every such server and small files do not all land on whichever two
 * reported a few bytes more. The bytes assigned during this transfer count
 * against a server's free space, so a large upload does not fill the emptiest one. Thread-safe.
 */
public final class ReplicaPlacement {
    /** Servers whose free space is within {@code 1/ROOMY_FRACTION} of the most free count as equal. */
    static final int ROOMY_FRACTION = 20;

    private final Map<NodeId, Long> assigned = new HashMap<>();

    /**
     * Picks {@code count} distinct servers from {@code live}, none in {@code exclude}, and charges
     * {@code bytes} to each. Each is on a machine none of the others is on, nor any live server of
     * {@code exclude} (which holds or was sent the chunk's other copies), as far as there are such
     * machines; the rest come from the machines already used.
     *
     * @throws NotEnoughServersException when fewer than {@code count} candidates remain
     */
    public synchronized List<ServerStatus> choose(List<ServerStatus> live, int count, Set<NodeId> exclude, long bytes)
            throws NotEnoughServersException {
        List<ServerStatus> candidates = distinctLive(live);
        Set<String> machines = new HashSet<>(); // of the excluded: they hold or were sent the other copies
        candidates.stream().filter(s -> exclude.contains(s.node().orElseThrow())).forEach(s -> machines.add(machine(s)));
        candidates.removeIf(s -> exclude.contains(s.node().orElseThrow()));
        if (candidates.size() < count) {
            throw new NotEnoughServersException(count + exclude.size(), candidates.size() + exclude.size());
        }
        long most = candidates.stream().mapToLong(this::headroom).max().orElse(0);
        long roomy = most - Math.max(most, 0) / ROOMY_FRACTION;
        Collections.shuffle(candidates, ThreadLocalRandom.current()); // the sort is stable: ties stay shuffled
        candidates.sort(Comparator.comparing((ServerStatus s) -> headroom(s) < roomy)
                .thenComparingLong(s -> headroom(s) >= roomy ? assigned(s) : -headroom(s)));
        List<ServerStatus> spread = new ArrayList<>();
        for (ServerStatus s : candidates) {
            if (spread.size() < count && machines.add(machine(s))) {
                spread.add(s); // the best server of each machine not yet used
            }
        }
        for (ServerStatus s : candidates) {
            if (spread.size() < count && !spread.contains(s)) {
                spread.add(s); // too few machines: the next best servers, wherever they are
            }
        }
        List<ServerStatus> chosen = List.copyOf(spread);
        for (ServerStatus s : chosen) {
            assigned.merge(s.node().orElseThrow(), bytes, Long::sum);
        }
        return chosen;
    }

    /**
     * The most bytes {@code servers} can take with {@code replication} copies of every byte on
     * distinct ones, judged by the free space each reported (above its reserve). Servers of one
     * machine that report the same {@link #disk} share one free space, counted once; a disk with
     * {@code k} servers holds at most {@code min(k, replication)} copies of a byte. So the room is
     * the largest {@code x} with {@code sum over disks of min(free, min(k, replication) * x) >=
     * replication * x}. It ignores that chunks come whole, so it only tells what surely does not fit.
     */
    public static long room(List<ServerStatus> servers, int replication) {
        Map<String, List<ServerStatus>> disks = byDisk(servers);
        long[] free = disks.values().stream().mapToLong(ReplicaPlacement::diskFree).toArray();
        int[] copies = disks.values().stream().mapToInt(d -> Math.min(d.size(), replication)).toArray();
        long low = 0;
        long high = LongStream.of(free).reduce(0, (a, b) -> a > Long.MAX_VALUE - b ? Long.MAX_VALUE : a + b)
                / Math.max(1, replication);
        while (low < high) {
            long x = high - (high - low) / 2;
            if (fits(free, copies, replication, x)) {
                low = x;
            } else {
                high = x - 1;
            }
        }
        return low;
    }

    private static boolean fits(long[] free, int[] copies, int replication, long x) {
        long takes = 0;
        for (int i = 0; i < free.length; i++) {
            takes += Math.min(free[i], x > Long.MAX_VALUE / copies[i] ? Long.MAX_VALUE : copies[i] * x);
            if (takes / replication >= x) {
                return true;
            }
        }
        return false;
    }

    /**
     * The disk {@code server} stores on: its machine and the file system it reported, or the
     * server alone when it reports none.
     */
    static String disk(ServerStatus server) {
        return server.health().map(HealthReport::disk).map(d -> machine(server) + " disk " + d)
                .orElse("node " + server.node().map(NodeId::hex).orElse(machine(server)));
    }

    /** The free space of the live servers of {@code servers}, each disk's counted once. */
    public static long freeBytes(List<ServerStatus> servers) {
        return byDisk(servers).values().stream().mapToLong(ReplicaPlacement::diskFree).sum();
    }

    /** What one disk has free: what its servers report, the most recent reports differing a little. */
    private static long diskFree(List<ServerStatus> disk) {
        return disk.stream().mapToLong(s -> Math.max(0, s.freeBytes())).max().orElse(0);
    }

    /** How many disks the live servers of {@code servers} store on. */
    public static int disks(List<ServerStatus> servers) {
        return byDisk(servers).size();
    }

    private static Map<String, List<ServerStatus>> byDisk(List<ServerStatus> servers) {
        Map<String, List<ServerStatus>> disks = new LinkedHashMap<>();
        for (ServerStatus s : distinctLive(servers)) {
            disks.computeIfAbsent(disk(s), d -> new ArrayList<>()).add(s);
        }
        return disks;
    }

    /**
     * The machine {@code server} runs on, as far as the master can tell: the IP address it is
     * reached at (or the host name, for an address never resolved).
     */
    public static String machine(ServerStatus server) {
        InetSocketAddress a = server.address();
        return a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
    }

    /** How many machines the live servers of {@code servers} run on. */
    public static int machines(List<ServerStatus> servers) {
        return (int) distinctLive(servers).stream().map(ReplicaPlacement::machine).distinct().count();
    }

    private long assigned(ServerStatus s) {
        return assigned.getOrDefault(s.node().orElseThrow(), 0L);
    }

    /** The live servers of {@code servers}, one per node. */
    private static List<ServerStatus> distinctLive(List<ServerStatus> servers) {
        List<ServerStatus> live = new ArrayList<>();
        for (ServerStatus s : servers) {
            if (s.isLive() && live.stream().noneMatch(c -> c.node().equals(s.node()))) {
                live.add(s);
            }
        }
        return live;
    }

    private long headroom(ServerStatus s) {
        return s.freeBytes() - assigned(s);
    }
}
