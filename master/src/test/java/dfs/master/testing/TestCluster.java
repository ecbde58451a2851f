package dfs.master.testing;

import dfs.chunkserver.ChunkServer;
import dfs.chunkserver.ChunkServerSettings;
import dfs.chunkserver.store.ChunkStore;
import dfs.common.config.ClusterSecret;
import dfs.common.config.DfsConfig;
import dfs.common.wire.ChunkId;
import dfs.common.wire.NodeId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real cluster for tests: N chunk servers on 127.0.0.1 (or on other loopback addresses, which
 * the master takes for other machines), ephemeral ports, real mutual TLS,
 * each storing in its own folder under {@code root}. Servers can be stopped and restarted (same
 * folder, so same node id and chunks). Always close it; {@link #describe()} prints its state.
 */
public final class TestCluster implements AutoCloseable {
    private final Path root;
    private final ClusterSecret secret = ClusterSecret.generate();
    private final List<ChunkServer> servers = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();
    private final List<String> addresses = new ArrayList<>();
    private final boolean announce;
    private final long reserveBytes;

    private TestCluster(Path root, boolean announce, long reserveBytes) {
        this.root = root;
        this.announce = announce;
        this.reserveBytes = reserveBytes;
    }

    /** Starts {@code n} chunk servers without mDNS (the master is given their addresses). */
    public static TestCluster start(Path root, int n) throws IOException {
        return start(root, n, false);
    }

    /** Starts {@code n} chunk servers, announcing them by mDNS on 127.0.0.1 if {@code announce}. */
    public static TestCluster start(Path root, int n, boolean announce) throws IOException {
        return start(root, n, announce, ChunkStore.DEFAULT_RESERVE_BYTES);
    }

    /**
     * Starts {@code n} chunk servers without mDNS that each keep {@code reserveBytes} free on their
     * disk: more than the disk has, and every chunk is refused as a full disk would refuse it.
     */
    public static TestCluster startWithReserve(Path root, int n, long reserveBytes) throws IOException {
        return start(root, n, false, reserveBytes);
    }

    /**
     * Starts {@code n} chunk servers without mDNS on one disk, each reporting about {@code freeBytes}
     * free (their reserve is the rest). On {@code addresses} of one machine the master counts that
     * space once; on addresses of different machines (127.0.0.2 ...) it takes them for separate
     * disks, whose reports add up to {@code n} times what the disk they share takes.
     */
    public static TestCluster startSharingFreeSpace(Path root, List<String> addresses, long freeBytes)
            throws IOException {
        Files.createDirectories(root);
        return start(root, addresses, false, Files.getFileStore(root).getUsableSpace() - freeBytes);
    }

    /**
     * Starts one chunk server without mDNS on each of {@code addresses}, loopback addresses such
     * as 127.0.0.2 (one address twice is two servers on one machine).
     */
    public static TestCluster startOn(Path root, List<String> addresses) throws IOException {
        return start(root, addresses, false, ChunkStore.DEFAULT_RESERVE_BYTES);
    }

    private static TestCluster start(Path root, int n, boolean announce, long reserveBytes) throws IOException {
        return start(root, java.util.Collections.nCopies(n, "127.0.0.1"), announce, reserveBytes);
    }

    private static TestCluster start(Path root, List<String> addresses, boolean announce, long reserveBytes)
            throws IOException {
        TestCluster c = new TestCluster(root, announce, reserveBytes);
        try {
            for (int i = 0; i < addresses.size(); i++) {
                c.servers.add(null);
                c.ports.add(0);
                c.addresses.add(addresses.get(i));
                c.startServer(i);
            }
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private void startServer(int i) throws IOException {
        InetAddress lo = InetAddress.getByName(addresses.get(i));
        ChunkServer s = ChunkServer.start(ChunkServerSettings.forCluster(storage(i), lo, ports.get(i), secret,
                announce ? Optional.of(lo) : Optional.empty()).withReserve(reserveBytes));
        servers.set(i, s);
        ports.set(i, s.port()); // a restart reuses the port, as a real server with a fixed port would
    }

    public ClusterSecret secret() {
        return secret;
    }

    public int size() {
        return servers.size();
    }

    public Path storage(int i) {
        return root.resolve("server-" + i);
    }

    public int port(int i) {
        return ports.get(i);
    }

    public NodeId nodeId(int i) {
        return server(i).nodeId();
    }

    /** Server {@code i}'s chunk store, to check what it holds as its scrubber would. */
    public ChunkStore store(int i) {
        return server(i).store();
    }

    private ChunkServer server(int i) {
        ChunkServer s = servers.get(i);
        if (s == null) {
            throw new IllegalStateException("chunk server " + i + " is stopped");
        }
        return s;
    }

    /** Stops server {@code i} (its files stay). */
    public void kill(int i) throws IOException {
        ChunkServer s = servers.set(i, null);
        if (s != null) {
            s.close();
        }
    }

    /** Starts server {@code i} again on its old port and folder. */
    public void restart(int i) throws IOException {
        if (servers.get(i) == null) {
            startServer(i);
        }
    }

    /**
     * A master configuration for this cluster in {@code dir}: static discovery of the running
     * servers, small chunks, short timeouts. {@code overrides} replace any key.
     */
    public DfsConfig masterConfig(Path dir, Map<String, String> overrides) {
        Map<String, String> v = new HashMap<>();
        v.put(DfsConfig.CLUSTER_SECRET, secret.encoded());
        v.put(DfsConfig.DISCOVERY, "static");
        v.put(DfsConfig.CHUNK_SERVERS, java.util.stream.IntStream.range(0, size())
                .mapToObj(i -> addresses.get(i) + ":" + port(i)).collect(Collectors.joining(",")));
        v.put(DfsConfig.NUM_CHUNK_SERVERS, Integer.toString(size()));
        v.put(DfsConfig.CHUNK_SIZE, "64KiB");
        v.put(DfsConfig.HEARTBEAT_INTERVAL, "200ms");
        v.put(DfsConfig.DEAD_AFTER, "1s");
        v.put(DfsConfig.DISCOVERY_TIMEOUT, "10s");
        v.put(DfsConfig.BIND_ADDRESS, "127.0.0.1");
        v.putAll(overrides);
        return DfsConfig.fromValues(dir.resolve("dfs_setup.config"), v);
    }

    /**
     * Every chunk file on server {@code i}'s disk. A running server may delete a file while the
     * folder is walked (a healer trimming a copy): the walk is then made again.
     */
    public List<Path> chunkFiles(int i) {
        Path chunks = storage(i).resolve("chunks");
        for (int attempt = 1; ; attempt++) {
            if (!Files.isDirectory(chunks)) {
                return List.of();
            }
            try (Stream<Path> s = Files.walk(chunks)) {
                return s.filter(Files::isRegularFile).toList();
            } catch (UncheckedIOException e) {
                if (!(e.getCause() instanceof NoSuchFileException) || attempt == 10) {
                    throw e;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Every chunk file on every server's disk. */
    public List<Path> allChunkFiles() {
        List<Path> all = new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            all.addAll(chunkFiles(i));
        }
        return all;
    }

    /** The file holding chunk {@code id} on server {@code i}, if it holds it. */
    public Optional<Path> chunkFile(int i, ChunkId id) {
        return chunkFiles(i).stream().filter(p -> p.getFileName().toString().startsWith(id.hex())).findFirst();
    }

    /** Which servers (by index) hold chunk {@code id} on disk. */
    public List<Integer> holders(ChunkId id) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            if (chunkFile(i, id).isPresent()) {
                out.add(i);
            }
        }
        return out;
    }

    /** Every file under every server's storage folder (chunks, node ids, anything). */
    public List<Path> allFiles() {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One line per server: index, node, port, state, chunk count on disk. For failure messages. */
    public String describe() {
        StringBuilder b = new StringBuilder("test cluster in " + root + ":\n");
        for (int i = 0; i < size(); i++) {
            ChunkServer s = servers.get(i);
            b.append("  server ").append(i).append(s == null ? " stopped" : " node " + s.nodeId())
                    .append(" port ").append(port(i)).append(", ").append(chunkFiles(i).size()).append(" chunk files\n");
        }
        return b.toString();
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (int i = 0; i < servers.size(); i++) {
            try {
                kill(i);
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
