package dfs.master.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dfs.common.tls.ClusterTls;
import dfs.master.discovery.Candidate;
import dfs.master.discovery.Discovery;
import dfs.master.discovery.RejectedAnnouncement;
import dfs.master.testing.TestCluster;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Waiting for servers at start-up: remembered ones count at once, discovered ones once found. */
class ServerRegistryAwaitTest {
    /** Far longer than any check here takes: returning well before it means it was not waited out. */
    private static final Duration DISCOVERY_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    TestCluster cluster;
    ExecutorService pool = Executors.newCachedThreadPool();
    ChunkClient client;

    @BeforeEach
    void start() throws IOException {
        cluster = TestCluster.start(dir, 2);
        client = new ChunkClient(ClusterTls.create(cluster.secret(), "dfs-master", Set.of()), Duration.ofSeconds(10), pool);
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        pool.shutdownNow();
        cluster.close();
    }

    @Test
    void aRememberedServerIsLiveWithoutWaitingForDiscoveryToFindIt() {
        LateDiscovery nothingFound = new LateDiscovery();
        ServerRegistry registry = registry(nothingFound);
        registry.remember(List.of(new KnownServers.Entry(cluster.nodeId(0), "127.0.0.1:" + cluster.port(0))));

        long t0 = System.nanoTime();
        List<ServerStatus> live = registry.awaitLive(1, DISCOVERY_TIMEOUT);

        assertThat(live).extracting(ServerStatus::node).containsExactly(Optional.of(cluster.nodeId(0)));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("the discovery timeout was not waited out")
                .isLessThan(DISCOVERY_TIMEOUT.dividedBy(2));
    }

    @Test
    void aServerDiscoveredWhileWaitingIsCheckedOnceFound() throws Exception {
        LateDiscovery late = new LateDiscovery();
        ServerRegistry registry = registry(late);
        registry.remember(List.of(new KnownServers.Entry(cluster.nodeId(0), "127.0.0.1:" + cluster.port(0))));
        CompletableFuture<List<ServerStatus>> waiting = CompletableFuture.supplyAsync(
                () -> registry.awaitLive(2, DISCOVERY_TIMEOUT), pool);
        while (late.asked() < 2) {
            Thread.sleep(10); // polling until the registry waits on discovery, not a timing assumption
        }
        assertThat(waiting).as("one server of two is live so far").isNotDone();

        late.find(new InetSocketAddress("127.0.0.1", cluster.port(1)));

        assertThat(waiting.get(DISCOVERY_TIMEOUT.dividedBy(2).toSeconds(), TimeUnit.SECONDS))
                .extracting(s -> s.node().orElseThrow())
                .containsExactlyInAnyOrder(cluster.nodeId(0), cluster.nodeId(1));
    }

    private ServerRegistry registry(Discovery discovery) {
        return new ServerRegistry(discovery, client, Duration.ofSeconds(2), Duration.ofSeconds(10), Clock.systemUTC(), pool);
    }

    /** Discovery that finds nothing until told to, and waits as mDNS does meanwhile. */
    private static final class LateDiscovery implements Discovery {
        private List<Candidate> found = List.of();
        private int asked;

        synchronized void find(InetSocketAddress address) {
            found = List.of(Candidate.ofStatic(address));
            notifyAll();
        }

        synchronized int asked() {
            return asked;
        }

        @Override
        public synchronized List<Candidate> candidates() {
            return found;
        }

        @Override
        public synchronized List<Candidate> await(int count, Duration timeout) {
            asked++;
            long end = System.nanoTime() + timeout.toNanos();
            try {
                for (long left = timeout.toMillis(); found.size() < count && left > 0;
                        left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())) {
                    wait(left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return found;
        }

        @Override
        public List<RejectedAnnouncement> rejected() {
            return List.of();
        }

        @Override
        public void close() {}
    }
}
