package dfs.chunkserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import dfs.chunkserver.ChunkServer;
import dfs.chunkserver.ChunkServerSettings;
import dfs.chunkserver.RawHttp;
import dfs.common.config.ClusterSecret;
import dfs.common.http.ClusterHttpClient;
import dfs.common.testing.TestTls;
import dfs.common.tls.ClusterTls;
import dfs.common.wire.Protocol;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chunk traffic runs over TLS_AES_128_GCM_SHA256: the chunk bodies are already sealed with
 * AES-256-GCM, and AES-128 takes less CPU per byte through TLS. The chunk server's own
 * order decides, and a member offering only AES-256-GCM is still served.
 */
class CipherSuiteTest {
    static final String AES_128 = "TLS_AES_128_GCM_SHA256";
    static final String AES_256 = "TLS_AES_256_GCM_SHA384";

    @TempDir
    Path sandbox;
    ClusterSecret secret;
    ChunkServer server;

    @BeforeEach
    void start() throws IOException {
        secret = TestTls.newCluster();
        ClusterTls tls = TestTls.member(secret, "chunk-server");
        server = ChunkServer.start(new ChunkServerSettings(sandbox.resolve("storage"), InetAddress.getByName("127.0.0.1"),
                0, tls.sslContext(), tls.fingerprint(), Optional.empty()));
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    @Test
    void theClusterClientAndAChunkServerAgreeOnAes128Gcm() throws IOException {
        try (ClusterHttpClient client = new ClusterHttpClient(TestTls.member(secret, "dfs-master").sslContext(),
                Duration.ofSeconds(30))) {
            String suite = client.exchange(new HttpGet("https://127.0.0.1:" + server.port() + Protocol.HEALTH_PATH),
                    (response, context) -> context.getSSLSession().getCipherSuite());
            assertThat(suite).isEqualTo(AES_128);
        }
    }

    @Test
    void theChunkServerChoosesAes128GcmEvenWhenTheClientPrefersAes256() throws IOException {
        assertThat(handshake(AES_256, AES_128)).isEqualTo(AES_128);
    }

    @Test
    void aMemberOfferingOnlyAes256GcmIsStillServed() throws IOException {
        assertThat(handshake(AES_256)).isEqualTo(AES_256);
    }

    private String handshake(String... offered) throws IOException {
        SSLContext member = TestTls.member(secret, "dfs-master").sslContext();
        SSLSocket socket = (SSLSocket) member.getSocketFactory().createSocket();
        try (socket) {
            socket.setEnabledCipherSuites(offered);
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            RawHttp.send(socket, "GET " + Protocol.HEALTH_PATH + " HTTP/1.1\r\nHost: 127.0.0.1", new byte[0]);
            assertThat(RawHttp.readToEnd(socket)).startsWith("HTTP/1.1 200".getBytes(StandardCharsets.US_ASCII));
            return socket.getSession().getCipherSuite();
        }
    }
}
