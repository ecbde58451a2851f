package dfs.chunkserver.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dfs.chunkserver.ChunkServer;
import dfs.chunkserver.ChunkServerSettings;
import dfs.chunkserver.OutsiderTls;
import dfs.chunkserver.RawHttp;
import dfs.common.config.ClusterSecret;
import dfs.common.testing.TestTls;
import dfs.common.tls.ClusterTls;
import dfs.common.wire.ChunkId;
import dfs.common.wire.Protocol;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without valid cluster credentials nothing at all is served: no client certificate, a certificate
 * from another cluster's CA, and a self-signed certificate with a member's very name all fail the
 * handshake, on every endpoint, and leave the store as it was.
 */
class NoCredentialsTest {
    @TempDir
    Path sandbox;
    ClusterTls serverTls;
    ChunkServer server;
    ChunkId stored;

    @BeforeEach
    void start() throws IOException {
        ClusterSecret secret = TestTls.newCluster();
        serverTls = TestTls.member(secret, "chunk-server");
        server = ChunkServer.start(new ChunkServerSettings(sandbox.resolve("storage"), InetAddress.getByName("127.0.0.1"),
                0, serverTls.sslContext(), serverTls.fingerprint(), Optional.empty()));
        stored = ChunkId.random();
        byte[] data = "member data".getBytes(StandardCharsets.US_ASCII);
        server.store().put(stored, HostileRequestsTest.sha256(data), data.length, new java.io.ByteArrayInputStream(data));
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    private SSLContext outsider(String kind) throws Exception {
        return switch (kind) {
            case "no certificate" -> OutsiderTls.withoutCertificate(serverTls);
            case "another cluster's CA" -> TestTls.member(TestTls.newCluster(), "dfs-master").sslContext();
            case "self-signed with a member's name" -> OutsiderTls.withSelfSignedCertificate(serverTls, "dfs-master");
            case "self-signed with the server's own name" -> OutsiderTls.withSelfSignedCertificate(serverTls, "chunk-server");
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"no certificate", "another cluster's CA", "self-signed with a member's name",
        "self-signed with the server's own name"})
    void anOutsiderGetsNoAnswerFromAnyEndpoint(String kind) throws Exception {
        SSLContext context = outsider(kind);
        List<String> requests = List.of("GET " + Protocol.HEALTH_PATH, "GET " + Protocol.CHUNKS_PATH,
                "GET " + Protocol.chunkPath(stored), "DELETE " + Protocol.chunkPath(stored),
                "PUT " + Protocol.chunkPath(ChunkId.random()));
        for (String request : requests) {
            assertThatThrownBy(() -> {
                try (Socket socket = RawHttp.tls(context, server.port())) {
                    RawHttp.send(socket, request + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0", new byte[0]);
                    byte[] answer = RawHttp.readToEnd(socket);
                    if (answer.length == 0) {
                        throw new IOException("closed without an answer");
                    }
                    throw new AssertionError(kind + ": " + request + " was answered: "
                            + new String(answer, StandardCharsets.ISO_8859_1));
                }
            }).as("%s: %s", kind, request).isInstanceOf(IOException.class);
        }
        assertThat(server.store().open(stored)).isPresent();
        try (Stream<Path> chunks = Files.walk(sandbox.resolve("storage").resolve("chunks"))) {
            assertThat(chunks.filter(Files::isRegularFile).count()).isEqualTo(1);
        }
    }
}
