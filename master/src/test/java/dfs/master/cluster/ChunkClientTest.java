package dfs.master.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dfs.common.config.ClusterSecret;
import dfs.common.testing.TestTls;
import dfs.common.tls.ClusterTls;
import dfs.common.wire.ChunkId;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ChunkClientTest {
    private final ClusterSecret cluster = TestTls.newCluster();
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        pool.shutdownNow();
    }

    /**
     * A member of the cluster that answers any request with headers and the first bytes of a
     * 1,000-byte body, then goes silent, as a host does whose cable is pulled mid-transfer.
     */
    private InetSocketAddress stallingServer() throws Exception {
        ClusterTls tls = TestTls.member(cluster, "staller");
        SSLServerSocket listener = (SSLServerSocket) tls.sslContext().getServerSocketFactory()
                .createServerSocket(0, 5, InetAddress.getLoopbackAddress());
        listener.setNeedClientAuth(true);
        pool.submit(() -> {
            try (listener; SSLSocket s = (SSLSocket) listener.accept()) {
                InputStream in = s.getInputStream();
                byte[] buf = new byte[4096];
                in.read(buf); // the request
                OutputStream out = s.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + "x".repeat(10))
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                release.await(); // silent until the test ends
            }
            return null;
        });
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort());
    }

    @Test
    void aBodyThatStallsHalfWayFailsAtTheDeadlineInsteadOfWaitingForever() throws Exception {
        InetSocketAddress server = stallingServer();
        ChunkClient client = new ChunkClient(TestTls.member(cluster, "master"), Duration.ofMillis(800), pool);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> client.get(server, ChunkId.random()).get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(ChunkServerException.class)
                .hasMessageContaining("unreachable: no answer in time");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("gave up long before the test's own limit")
                .isLessThan(Duration.ofSeconds(20));
    }
}
