package dfs.master.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dfs.common.config.ClusterSecret;
import dfs.common.testing.TestTls;
import dfs.master.discovery.StaticDiscovery;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ServerRegistryCloseTest {
    private final ClusterSecret cluster = TestTls.newCluster();
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void aHealthCheckCutShortByClosingRecordsNothing() throws Exception {
        try (ScriptedServer silent = ScriptedServer.start(TestTls.member(cluster, "server"),
                (request, out) -> Thread.sleep(60_000))) {
            ChunkClient client = new ChunkClient(TestTls.member(cluster, "master"), Duration.ofSeconds(30), pool);
            ServerRegistry registry = new ServerRegistry(new StaticDiscovery(List.of(silent.address())), client,
                    Duration.ofSeconds(20), Duration.ofSeconds(60), Clock.systemUTC(), pool);
            CompletableFuture<Void> probing = CompletableFuture.runAsync(registry::probe, pool);
            while (silent.requests().isEmpty()) {
                Thread.sleep(10); // polling for the request to arrive, not a timing assumption
            }

            registry.close();
            client.close(); // as the master closes: the health check in flight fails at once

            probing.get(30, TimeUnit.SECONDS);
            assertThat(registry.all()).as("no server marked dead by its own shutdown").isEmpty();
        }
    }
}
