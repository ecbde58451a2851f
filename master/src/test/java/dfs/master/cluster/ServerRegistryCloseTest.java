package dfs.master.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dfs.common.config.ClusterSecret;
import dfs.common.testing.TestTls;
import dfs.master.discovery.Candidate;
import dfs.master.discovery.Discovery;
import dfs.master.discovery.RejectedAnnouncement;
import dfs.master.discovery.StaticDiscovery;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

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

    @Test
    void aHealthCheckRoundThatMeetsTheShutdownLogsNothing() throws Exception {
        CountDownLatch roundStarted = new CountDownLatch(1);
        CountDownLatch shutDown = new CountDownLatch(1);
        StaticDiscovery fixed = new StaticDiscovery(List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9)));
        Discovery slow = new Discovery() { // holds the first round until the master has shut its pools
            @Override
            public List<Candidate> candidates() {
                roundStarted.countDown();
                try {
                    shutDown.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return fixed.candidates();
            }

            @Override
            public List<Candidate> await(int count, Duration timeout) {
                return fixed.await(count, timeout);
            }

            @Override
            public List<RejectedAnnouncement> rejected() {
                return fixed.rejected();
            }

            @Override
            public void close() {
                fixed.close();
            }
        };
        ExecutorService io = Executors.newCachedThreadPool();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        ChunkClient client = new ChunkClient(TestTls.member(cluster, "master"), Duration.ofSeconds(30), io);
        ServerRegistry registry = new ServerRegistry(slow, client, Duration.ofSeconds(20), Duration.ofSeconds(60),
                Clock.systemUTC(), io);
        ListAppender<ILoggingEvent> logged = capture();
        try {
            registry.start(scheduler);
            roundStarted.await(30, TimeUnit.SECONDS);

            registry.close(); // as a master that fails to start closes what it started
            scheduler.shutdown();
            client.close();
            io.shutdownNow();
            shutDown.countDown();

            assertThat(scheduler.awaitTermination(30, TimeUnit.SECONDS)).as("the round ended").isTrue();
            assertThat(logged.list).as("what the registry logged").isEmpty();
        } finally {
            release(logged);
        }
    }

    private static ListAppender<ILoggingEvent> capture() {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        ((Logger) LoggerFactory.getLogger(ServerRegistry.class)).addAppender(appender);
        return appender;
    }

    private static void release(ListAppender<ILoggingEvent> appender) {
        ((Logger) LoggerFactory.getLogger(ServerRegistry.class)).detachAppender(appender);
    }
}
