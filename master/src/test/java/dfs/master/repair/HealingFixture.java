package dfs.master.repair;

import dfs.common.config.DfsConfig;
import dfs.common.crypto.MasterKey;
import dfs.common.tls.ClusterTls;
import dfs.common.wire.NodeId;
import dfs.master.Master;
import dfs.master.discovery.Discoveries;
import dfs.master.metadata.ChunkRecord;
import dfs.master.metadata.FileRecord;
import dfs.master.testing.TestCluster;
import dfs.master.transfer.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Three real chunk servers (or one per address asked for) and a master over them, for repair tests: 64 KiB chunks, health checks
 * every 200 ms, dead after 1 s. Always close it; {@link #describe()} says where every chunk is.
 */
final class HealingFixture implements AutoCloseable {
    static final int CHUNK = 64 * 1024;
    static final long SEED = System.nanoTime();

    final Path dir;
    final TestCluster cluster;
    final Master master;
    /** The master's key: a second master process with it is the same master, as the servers see it. */
    final MasterKey masterKey;
    final Random random = new Random(SEED);
    /** Node ids by server index, known even while a server is stopped. */
    final List<NodeId> nodes;

    private HealingFixture(Path dir, TestCluster cluster, Master master, MasterKey masterKey) {
        this.dir = dir;
        this.cluster = cluster;
        this.master = master;
        this.masterKey = masterKey;
        this.nodes = java.util.stream.IntStream.range(0, cluster.size()).mapToObj(cluster::nodeId).toList();
    }

    /** A fixture whose master heals as configured by {@code settings}. */
    static HealingFixture start(Path dir, RepairSettings settings) throws IOException {
        return start(dir, settings, Map.of());
    }

    /** As {@link #start(Path, RepairSettings)}, with configuration keys replaced by {@code overrides}. */
    static HealingFixture start(Path dir, RepairSettings settings, Map<String, String> overrides) throws IOException {
        return start(dir, settings, overrides, List.of("127.0.0.1", "127.0.0.1", "127.0.0.1"));
    }

    /**
     * As {@link #start(Path, RepairSettings)}, with one server on each of {@code addresses}
     * (loopback addresses, which the master takes for machines).
     */
    static HealingFixture startOn(Path dir, RepairSettings settings, List<String> addresses) throws IOException {
        return start(dir, settings, Map.of(), addresses);
    }

    private static HealingFixture start(Path dir, RepairSettings settings, Map<String, String> overrides,
            List<String> addresses) throws IOException {
        System.err.println("HealingFixture random seed " + SEED);
        TestCluster cluster = TestCluster.startOn(dir.resolve("servers"), addresses);
        try {
            DfsConfig config = cluster.masterConfig(dir, overrides);
            ClusterTls tls = ClusterTls.create(cluster.secret(), "dfs-master", Set.of());
            MasterKey key = MasterKey.generate();
            Master master = Master.start(config, key, Discoveries.fromConfig(config, tls), tls, settings);
            master.awaitServers(cluster.size(), config.discoveryTimeout());
            return new HealingFixture(dir, cluster, master, key);
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** Healing that only happens when a test asks for it: the background scan is an hour away. */
    static RepairSettings manual() {
        return new RepairSettings(Duration.ofHours(1), Duration.ofHours(1), Duration.ofSeconds(1), 3);
    }

    /** Background healing at test speed: a scan every 200 ms, orphans collected after {@code grace}. */
    static RepairSettings automatic(Duration grace) {
        return new RepairSettings(Duration.ofMillis(200), grace, Duration.ofSeconds(1), 3);
    }

    Path randomFile(String name, int size) throws IOException {
        byte[] data = new byte[size];
        random.nextBytes(data);
        return Files.write(dir.resolve(name), data);
    }

    FileRecord upload(String name, int size) throws IOException {
        return master.upload(randomFile(name, size), name, Progress.NONE);
    }

    FileRecord record(String name) {
        return master.file(name).orElseThrow(() -> new AssertionError("no file " + name + " in the metadata"));
    }

    /** Downloads {@code name} and tells whether it equals the file uploaded from {@code dir/name}. */
    boolean comesBackIntact(String name) throws IOException {
        Path back = dir.resolve("out").resolve(name);
        master.download(name, back, Progress.NONE);
        return java.util.Arrays.equals(Files.readAllBytes(back), Files.readAllBytes(dir.resolve(name)));
    }

    int indexOf(NodeId node) {
        int i = nodes.indexOf(node);
        if (i < 0) {
            throw new AssertionError("no server has node id " + node + "\n" + cluster.describe());
        }
        return i;
    }

    /** Flips one bit near the end of the replica of {@code chunk} on server {@code server}. */
    void flipAByte(int server, ChunkRecord chunk) throws IOException {
        Path onDisk = cluster.chunkFile(server, chunk.id()).orElseThrow(() ->
                new AssertionError("server " + server + " has no file for chunk " + chunk.id() + "\n" + describe()));
        byte[] bytes = Files.readAllBytes(onDisk);
        bytes[bytes.length - 10] ^= 0x40;
        Files.write(onDisk, bytes);
    }

    /** Every chunk of every stored file. */
    List<ChunkRecord> chunks() {
        return master.list().stream().flatMap(r -> r.chunks().stream()).toList();
    }

    /** The machine (loopback address) of each server recorded for {@code c}. */
    List<String> machines(ChunkRecord c) {
        return c.servers().stream().map(node -> master.status().servers().stream()
                .filter(v -> v.node().equals(java.util.Optional.of(node))).findFirst()
                .orElseThrow(() -> new AssertionError("no server " + node + "\n" + describe()))
                .address().getAddress().getHostAddress()).toList();
    }

    /** Whether the master takes server {@code server} for dead. */
    boolean isDead(int server) {
        return master.status().servers().stream().anyMatch(s -> s.node().equals(java.util.Optional.of(nodes.get(server)))
                && s.liveness() == dfs.master.cluster.ServerStatus.Liveness.DEAD);
    }

    /** Whether chunk {@code c} is recorded on exactly {@code servers}, each of which has it on disk. */
    boolean recordedAndStoredOn(ChunkRecord c, Set<Integer> servers) {
        Set<NodeId> expected = new java.util.HashSet<>();
        servers.forEach(i -> expected.add(nodes.get(i)));
        return Set.copyOf(c.servers()).equals(expected) && cluster.holders(c.id()).containsAll(servers);
    }

    /** Whether every chunk of every file is on two distinct servers, exactly those recorded, on disk and nowhere else. */
    boolean everyChunkOnTwoRecordedServers() {
        for (FileRecord f : master.list()) {
            for (ChunkRecord c : f.chunks()) {
                List<Integer> holders = cluster.holders(c.id());
                if (c.servers().size() != 2 || !recordedAndStoredOn(c, Set.copyOf(holders))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Polls {@code condition} until it holds or {@code timeout} passes (then fails, naming {@code what}). */
    void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting until " + what + "\n" + describe());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting until " + what, e);
            }
        }
    }

    /** The cluster, then every chunk with its recorded servers and where it is on disk. */
    String describe() {
        StringBuilder b = new StringBuilder(cluster.describe());
        for (FileRecord f : master.list()) {
            for (ChunkRecord c : f.chunks()) {
                b.append("  ").append(f.name()).append(" chunk ").append(c.index()).append(' ').append(c.id())
                        .append(" recorded on ").append(c.servers()).append(", on disk of servers ")
                        .append(cluster.holders(c.id())).append('\n');
            }
        }
        return b.toString();
    }

    @Override
    public void close() throws IOException {
        try {
            master.close();
        } finally {
            cluster.close();
        }
    }
}
