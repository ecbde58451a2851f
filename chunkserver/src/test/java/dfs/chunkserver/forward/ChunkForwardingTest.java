package dfs.chunkserver.forward;

import static dfs.common.testing.TestData.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import dfs.chunkserver.ChunkServer;
import dfs.chunkserver.ChunkServerSettings;
import dfs.chunkserver.store.VerifyResult;
import dfs.common.config.ClusterSecret;
import dfs.common.crypto.Sha256;
import dfs.common.json.Json;
import dfs.common.testing.TestTls;
import dfs.common.wire.ChunkId;
import dfs.common.wire.Crc32c;
import dfs.common.wire.ErrorBody;
import dfs.common.wire.NodeId;
import dfs.common.wire.Protocol;
import dfs.common.wire.StoredChunk;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pipelined replication between real chunk servers on 127.0.0.1 over mutual TLS: a PUT naming a
 * forward chain stores the chunk on every server of it, and a chain that breaks still stores the
 * chunk where it got to and says why.
 */
class ChunkForwardingTest {
    @TempDir
    Path sandbox;

    private final ClusterSecret secret = TestTls.newCluster();
    private final List<ChunkServer> servers = new ArrayList<>();
    private HttpClient master;

    @BeforeEach
    void start() throws IOException {
        for (int i = 0; i < 3; i++) {
            servers.add(ChunkServer.start(ChunkServerSettings.forCluster(sandbox.resolve("server" + i),
                    InetAddress.getLoopbackAddress(), 0, secret, Optional.empty())));
        }
        master = HttpClient.newBuilder().sslContext(TestTls.member(secret, "master").sslContext())
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterEach
    void stop() throws IOException {
        for (ChunkServer s : servers) {
            s.close();
        }
    }

    @Test
    void aChunkPutOnTheFirstServerIsStoredOnEveryServerOfTheChain() throws Exception {
        byte[] data = bytes(3 * 1024 * 1024 + 17, 1); // many TLS records, and a partial last buffer
        ChunkId id = ChunkId.random();

        HttpResponse<String> response = put(server(0), id, data, Sha256.hex(data), hop(server(1)) + "," + hop(server(2)));

        assertThat(response.statusCode()).isEqualTo(201);
        StoredChunk answer = Json.mapper().readValue(response.body(), StoredChunk.class);
        assertThat(answer.forwardedTo()).containsExactly(server(1).nodeId(), server(2).nodeId());
        assertThat(answer.forwardFailure()).isNull();
        for (ChunkServer s : servers) {
            assertThat(get(s, id)).isEqualTo(data);
        }
    }

    @Test
    void aNextServerThatCannotBeReachedLeavesTheChunkStoredHereAndSaysWhy() throws Exception {
        byte[] data = bytes(100_000, 2);
        ChunkId id = ChunkId.random();
        NodeId absent = NodeId.random();

        HttpResponse<String> response = put(server(0), id, data, Sha256.hex(data),
                absent.hex() + "@127.0.0.1:" + closedPort());

        assertThat(response.statusCode()).isEqualTo(201);
        StoredChunk answer = Json.mapper().readValue(response.body(), StoredChunk.class);
        assertThat(answer.forwardedTo()).isEmpty();
        assertThat(answer.forwardFailure()).contains("node " + absent).contains("connection refused");
        assertThat(get(server(0), id)).isEqualTo(data);
    }

    @Test
    void theChainStopsAtTheFirstServerThatFailsAndListsThoseBefore() throws Exception {
        byte[] data = bytes(200_000, 3);
        ChunkId id = ChunkId.random();
        NodeId absent = NodeId.random();

        HttpResponse<String> response = put(server(0), id, data, Sha256.hex(data),
                hop(server(1)) + "," + absent.hex() + "@127.0.0.1:" + closedPort());

        StoredChunk answer = Json.mapper().readValue(response.body(), StoredChunk.class);
        assertThat(answer.forwardedTo()).containsExactly(server(1).nodeId());
        assertThat(answer.forwardFailure()).contains("node " + absent);
        assertThat(get(server(1), id)).isEqualTo(data);
    }

    @Test
    void aServerAnsweringAsAnotherNodeIsNotCountedAsAHolder() throws Exception {
        byte[] data = bytes(1000, 4);
        ChunkId id = ChunkId.random();
        NodeId expected = NodeId.random();

        HttpResponse<String> response = put(server(0), id, data, Sha256.hex(data),
                expected.hex() + "@127.0.0.1:" + server(1).port());

        StoredChunk answer = Json.mapper().readValue(response.body(), StoredChunk.class);
        assertThat(answer.forwardedTo()).isEmpty();
        assertThat(answer.forwardFailure()).contains("node " + server(1).nodeId() + ", not " + expected);
    }

    @Test
    void aNextServerRefusingTheChunkIsReportedWithItsReason() throws Exception {
        ChunkId id = ChunkId.random();
        byte[] other = bytes(1000, 5);
        put(server(1), id, other, Sha256.hex(other), null); // a different chunk under the same id there
        byte[] data = bytes(1000, 6);

        HttpResponse<String> response = put(server(0), id, data, Sha256.hex(data), hop(server(1)));

        assertThat(response.statusCode()).isEqualTo(201);
        StoredChunk answer = Json.mapper().readValue(response.body(), StoredChunk.class);
        assertThat(answer.forwardedTo()).isEmpty();
        assertThat(answer.forwardFailure()).contains("HTTP 409");
        assertThat(get(server(1), id)).isEqualTo(other);
    }

    @Test
    void aBodyNotMatchingItsHashIsStoredNowhereOnTheChain() throws Exception {
        byte[] data = bytes(500_000, 7);
        ChunkId id = ChunkId.random();

        HttpResponse<String> response = put(server(0), id, data, Sha256.hex(bytes(10, 8)), hop(server(1)));

        assertError(response, 400, "hash_mismatch");
        for (ChunkServer s : servers.subList(0, 2)) {
            assertThat(getStatus(s, id)).isEqualTo(404);
            assertThat(tmpFiles(s)).isEmpty();
        }
    }

    @Test
    void theSendersCrc32cIsPassedOnSoEveryServerChecksItAndNoneHashesTheBody() throws Exception {
        byte[] data = bytes(500_000, 9);
        String otherHash = Sha256.hex(bytes(10, 10)); // a false claim: only a re-hash finds it
        ChunkId id = ChunkId.random();

        HttpResponse<String> response = put(server(0), id, data, otherHash, Crc32c.hex(data), hop(server(1)));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(Json.mapper().readValue(response.body(), StoredChunk.class).forwardedTo())
                .containsExactly(server(1).nodeId());
        for (ChunkServer s : servers.subList(0, 2)) {
            assertThat(get(s, id)).isEqualTo(data);
            assertThat(s.store().verify(id).status()).isEqualTo(VerifyResult.Status.CORRUPT);
        }
    }

    @Test
    void aBodyNotMatchingItsCrc32cIsStoredNowhereOnTheChain() throws Exception {
        byte[] data = bytes(500_000, 11);
        ChunkId id = ChunkId.random();

        HttpResponse<String> response = put(server(0), id, data, Sha256.hex(data), Crc32c.hex(bytes(10, 12)),
                hop(server(1)));

        assertError(response, 400, "hash_mismatch");
        for (ChunkServer s : servers.subList(0, 2)) {
            assertThat(getStatus(s, id)).isEqualTo(404);
            assertThat(tmpFiles(s)).isEmpty();
        }
    }

    @Test
    void aChainNamingTheServerItselfIsRefusedAndNothingIsStored() throws Exception {
        byte[] data = bytes(1000, 9);
        ChunkId id = ChunkId.random();

        assertError(put(server(0), id, data, Sha256.hex(data), hop(server(1)) + "," + hop(server(0))),
                400, "bad_forward");
        assertThat(getStatus(server(0), id)).isEqualTo(404);
        assertThat(getStatus(server(1), id)).isEqualTo(404);
    }

    @Test
    void malformedForwardHeadersAreRefusedWithTheExpectedForm() throws Exception {
        byte[] data = bytes(10, 10);
        String twice = hop(server(1)) + "," + hop(server(1));
        String tooLong = Stream.generate(() -> NodeId.random().hex() + "@127.0.0.1:1").limit(16)
                .collect(Collectors.joining(","));
        for (String header : List.of("", "garbage", "0123456789abcdef", "0123456789abcdef@", "xyz@127.0.0.1:7443",
                "0123456789abcdef@127.0.0.1:0", "0123456789abcdef@127.0.0.1:7443,", twice, tooLong)) {
            ChunkId id = ChunkId.random();
            HttpResponse<String> response = put(server(0), id, data, Sha256.hex(data), header);
            assertError(response, 400, "bad_forward");
            assertThat(getStatus(server(0), id)).as(header).isEqualTo(404);
        }
    }

    private ChunkServer server(int i) {
        return servers.get(i);
    }

    private static String hop(ChunkServer s) {
        return s.nodeId().hex() + "@127.0.0.1:" + s.port();
    }

    private HttpResponse<String> put(ChunkServer s, ChunkId id, byte[] data, String sha256, String forward)
            throws Exception {
        return put(s, id, data, sha256, null, forward);
    }

    private HttpResponse<String> put(ChunkServer s, ChunkId id, byte[] data, String sha256, String crc32c,
            String forward) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(s, id)).header(Protocol.SHA256_HEADER, sha256)
                .PUT(BodyPublishers.ofByteArray(data));
        if (crc32c != null) {
            request.header(Protocol.CRC32C_HEADER, crc32c);
        }
        if (forward != null) {
            request.header(Protocol.FORWARD_HEADER, forward);
        }
        return master.send(request.build(), BodyHandlers.ofString());
    }

    private byte[] get(ChunkServer s, ChunkId id) throws Exception {
        HttpResponse<byte[]> response = master.send(HttpRequest.newBuilder(uri(s, id)).build(), BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private int getStatus(ChunkServer s, ChunkId id) throws Exception {
        return master.send(HttpRequest.newBuilder(uri(s, id)).build(), BodyHandlers.discarding()).statusCode();
    }

    private static URI uri(ChunkServer s, ChunkId id) {
        return URI.create("https://127.0.0.1:" + s.port() + Protocol.chunkPath(id));
    }

    private static List<Path> tmpFiles(ChunkServer s) throws IOException {
        try (Stream<Path> files = Files.list(s.store().root().resolve("tmp"))) {
            return files.toList();
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void assertError(HttpResponse<String> response, int status, String code) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(Json.mapper().readValue(response.body(), ErrorBody.class).error()).isEqualTo(code);
    }
}
