package dfs.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import dfs.common.config.ClusterSecret;
import dfs.common.testing.TestTls;
import dfs.common.tls.ClusterTls;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/** TLS over a {@link ReadAheadSocket}, against a real TLS server on 127.0.0.1. */
class ReadAheadSocketTest {
    private final ClusterSecret cluster = TestTls.newCluster();

    @Test
    void tlsRecordsReadThroughTheBufferArriveIntactAndInOrder() throws Exception {
        byte[] sent = new byte[5 * ReadAheadSocket.READ_AHEAD + 12345]; // many records, buffer refills
        new Random(3).nextBytes(sent);
        ClusterTls serverTls = TestTls.member(cluster, "server");
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (SSLServerSocket server = (SSLServerSocket) serverTls.sslContext().getServerSocketFactory()
                .createServerSocket(0, 1, loopback)) {
            server.setNeedClientAuth(true);
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                try (SSLSocket peer = (SSLSocket) server.accept(); OutputStream out = peer.getOutputStream()) {
                    out.write(sent, 0, 100); // a short record first, then large writes
                    out.write(sent, 100, sent.length - 100);
                    out.flush();
                    peer.getInputStream().read(); // until the client has read it all and closes
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            byte[] received = new byte[sent.length];
            try (ReadAheadSocket plain = new ReadAheadSocket(null)) {
                plain.connect(new InetSocketAddress(loopback, server.getLocalPort()), 5000);
                assertThat(plain.getInputStream()).isSameAs(plain.getInputStream());
                try (SSLSocket tls = (SSLSocket) TestTls.member(cluster, "client").sslContext().getSocketFactory()
                        .createSocket(plain, "127.0.0.1", server.getLocalPort(), true)) {
                    InputStream in = tls.getInputStream();
                    int filled = 0;
                    int step = 1;
                    while (filled < received.length) {
                        int n = in.read(received, filled, Math.min(step, received.length - filled));
                        assertThat(n).isPositive();
                        filled += n;
                        step = step * 3 % 70_001 + 1; // reads of many sizes, across record boundaries
                    }
                }
            }
            sending.get(30, TimeUnit.SECONDS);
            assertThat(Arrays.equals(received, sent)).isTrue();
        }
    }
}
