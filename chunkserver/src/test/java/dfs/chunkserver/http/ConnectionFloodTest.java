package dfs.chunkserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import dfs.chunkserver.ChunkServer;
import dfs.chunkserver.ChunkServerSettings;
import dfs.chunkserver.RawHttp;
import dfs.common.config.ClusterSecret;
import dfs.common.testing.TestTls;
import dfs.common.tls.ClusterTls;
import dfs.common.wire.Protocol;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of connections held open by a cluster member: the server's threads stay bounded and
 * a fresh client is still answered (once the idle timeout frees the connections held).
 */
class ConnectionFloodTest {
    private static final int FLOOD = 2000;
    private static final Duration IDLE = Duration.ofSeconds(2);

    @TempDir
    Path sandbox;
    ClusterTls client;
    ChunkServer server;
    final List<Socket> held = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        ClusterSecret secret = TestTls.newCluster();
        ClusterTls serverTls = TestTls.member(secret, "chunk-server");
        client = TestTls.member(secret, "dfs-master");
        server = ChunkServer.start(new ChunkServerSettings(sandbox.resolve("storage"), InetAddress.getByName("127.0.0.1"),
                0, serverTls.sslContext(), serverTls.fingerprint(), Optional.empty(), IDLE));
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket s : held) {
            s.close();
        }
        server.close();
    }

    @Test
    void twoThousandHeldConnectionsNeitherExhaustThreadsNorLockOutAFreshClient() throws Exception {
        ExecutorService openers = Executors.newFixedThreadPool(64);
        List<Future<Socket>> attempts = new ArrayList<>();
        for (int i = 0; i < FLOOD; i++) {
            attempts.add(openers.submit(this::openAndHold));
        }
        int peakThreads = 0;
        int opened = 0;
        for (Future<Socket> f : attempts) {
            Socket s = f.get(5, TimeUnit.MINUTES);
            if (s != null) {
                held.add(s);
                opened++;
            }
            peakThreads = Math.max(peakThreads, serverThreads());
        }
        openers.shutdown();

        RawHttp.Answer fresh = RawHttp.exchange(client.sslContext(), server.port(),
                "GET " + Protocol.HEALTH_PATH + " HTTP/1.1\r\nHost: 127.0.0.1");

        System.err.println("flood: " + opened + " of " + FLOOD + " connections completed the handshake;"
                + " peak server threads " + peakThreads);
        assertThat(fresh.status()).isEqualTo(200);
        assertThat(peakThreads).as("chunk-http threads").isLessThanOrEqualTo(32);
        assertThat(serverThreads()).isLessThanOrEqualTo(32);
    }

    /** A TLS connection that completed its handshake and then sends nothing; null if refused. */
    private Socket openAndHold() {
        SSLSocket s = null;
        try {
            s = (SSLSocket) client.sslContext().getSocketFactory().createSocket();
            s.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
            s.setSoTimeout(30_000);
            s.startHandshake();
            return s;
        } catch (IOException e) {
            closeQuietly(s); // refused, reset or cut by the idle timeout: the server defending itself
            return null;
        }
    }

    private static void closeQuietly(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // nothing more to do with a socket that failed
            }
        }
    }

    private static int serverThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("chunk-http")).count();
    }
}
