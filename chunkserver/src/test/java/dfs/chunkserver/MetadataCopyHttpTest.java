package dfs.chunkserver;

import static dfs.chunkserver.ChunkServerHttpTest.assertError;
import static dfs.chunkserver.ChunkServerHttpTest.assertRawError;
import static dfs.chunkserver.ChunkServerHttpTest.bytes;
import static dfs.chunkserver.ChunkServerHttpTest.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import dfs.common.config.ClusterSecret;
import dfs.common.json.Json;
import dfs.common.testing.TestTls;
import dfs.common.tls.ClusterTls;
import dfs.common.wire.ChunkId;
import dfs.common.wire.ChunkListing;
import dfs.common.wire.HealthReport;
import dfs.common.wire.MasterId;
import dfs.common.wire.Protocol;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /v1/metadata-copy}, end to end: a real server, real mutual TLS, the JDK client. The
 * server keeps the master's sealed metadata copy whole, as sent, apart from its chunks.
 */
class MetadataCopyHttpTest {
    @TempDir
    Path sandbox;

    private Path storage;
    private ClusterTls serverTls;
    private ClusterTls clientTls;
    private ChunkServer server;
    private HttpClient client;

    @BeforeEach
    void start() throws IOException {
        storage = sandbox.resolve("storage");
        ClusterSecret secret = TestTls.newCluster();
        serverTls = TestTls.member(secret, "chunk-server");
        clientTls = TestTls.member(secret, "master");
        server = ChunkServer.start(settings());
        client = HttpClient.newBuilder().sslContext(clientTls.sslContext()).version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    @Test
    void aStoredCopyDownloadsAsItWasSent() throws Exception {
        byte[] copy = bytes(3 * 1024 * 1024 + 5, 1); // past any default request/response buffer

        HttpResponse<String> stored = put(copy);

        assertThat(stored.statusCode()).isEqualTo(204);
        assertThat(stored.body()).isEmpty();
        HttpResponse<byte[]> fetched = get();
        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(fetched.headers().firstValue("Content-Type")).contains("application/octet-stream");
        assertThat(fetched.headers().firstValueAsLong("Content-Length")).hasValue(copy.length);
        assertThat(fetched.body()).isEqualTo(copy);
    }

    @Test
    void headGivesTheLengthOfTheCopyWithoutItsBytes() throws Exception {
        byte[] copy = bytes(12_345, 2);
        put(copy);

        HttpResponse<byte[]> head = client.send(request().method("HEAD", BodyPublishers.noBody()).build(),
                BodyHandlers.ofByteArray());

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(copy.length);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void aSecondPutReplacesTheFirstCopy() throws Exception {
        put(bytes(50_000, 3));
        byte[] newer = bytes(700, 4);

        assertThat(put(newer).statusCode()).isEqualTo(204);

        assertThat(get().body()).isEqualTo(newer);
    }

    @Test
    void aCopyIsAnsweredWithTheIdOfTheMasterThatSentItAcrossRestartsUntilACopyWithoutOneReplacesIt()
            throws Exception {
        MasterId first = MasterId.random();
        MasterId second = MasterId.random();
        assertThat(put(bytes(100, 13), first).statusCode()).isEqualTo(204);
        assertThat(sender(get())).contains(first.hex());

        assertThat(put(bytes(100, 14), second).statusCode()).isEqualTo(204);
        assertThat(sender(get())).contains(second.hex());
        server.close();
        server = ChunkServer.start(settings());
        assertThat(sender(client.send(request().method("HEAD", BodyPublishers.noBody()).build(),
                BodyHandlers.ofByteArray()))).contains(second.hex());

        assertThat(put(bytes(100, 15)).statusCode()).isEqualTo(204); // from a master that does not say
        assertThat(sender(get())).isEmpty();
    }

    @Test
    void aMalformedMasterIdAnswers400AndTheCopyHeldBeforeStays() throws Exception {
        byte[] held = bytes(100, 16);
        MasterId sender = MasterId.random();
        put(held, sender);

        HttpResponse<String> response = client.send(request().header(Protocol.MASTER_ID_HEADER, "../etc")
                .PUT(BodyPublishers.ofByteArray(bytes(100, 17))).build(), BodyHandlers.ofString());

        assertThat(assertError(response, 400, "bad_master_id").message()).isEqualTo("header "
                + Protocol.MASTER_ID_HEADER + " '../etc' is not a master id: expected 32 lowercase hex digits");
        HttpResponse<byte[]> kept = get();
        assertThat(kept.body()).isEqualTo(held);
        assertThat(sender(kept)).contains(sender.hex());
    }

    private static Optional<String> sender(HttpResponse<?> response) {
        return response.headers().firstValue(Protocol.MASTER_ID_HEADER);
    }

    @Test
    void aServerWithoutACopyAnswers404() throws Exception {
        assertError(get(), 404, "metadata_copy_not_found");
        HttpResponse<byte[]> head = client.send(request().method("HEAD", BodyPublishers.noBody()).build(),
                BodyHandlers.ofByteArray());
        assertThat(head.statusCode()).isEqualTo(404);
    }

    @Test
    void theCopySurvivesARestartOnTheSameStorageFolder() throws Exception {
        byte[] copy = bytes(80_000, 5);
        put(copy);

        server.close();
        server = ChunkServer.start(settings());

        assertThat(get().body()).isEqualTo(copy);
    }

    @Test
    void aDeclaredLengthAboveTheLimitAnswers413WithoutWaitingForTheBody() throws Exception {
        RawHttp.Answer answer = RawHttp.exchange(clientTls.sslContext(), server.port(),
                "PUT " + Protocol.METADATA_COPY_PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Content-Length: " + (Protocol.MAX_METADATA_COPY_BYTES + 1));

        assertRawError(answer, 413, "metadata_copy_too_large");
        assertThat(tmpFiles()).isEmpty();
        assertError(get(), 404, "metadata_copy_not_found");
    }

    @Test
    void aPutWithoutContentLengthAnswers411() throws Exception {
        byte[] copy = bytes(100, 6);
        HttpResponse<String> response = client.send(request()
                .PUT(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(copy))).build(),
                BodyHandlers.ofString());

        assertError(response, 411, "length_required");
    }

    @Test
    void aBodyShorterThanDeclaredAnswers400AndTheCopyHeldBeforeStays() throws Exception {
        byte[] held = bytes(1000, 7);
        put(held);

        RawHttp.Answer answer;
        try (Socket socket = RawHttp.tls(clientTls.sslContext(), server.port())) {
            RawHttp.send(socket, "PUT " + Protocol.METADATA_COPY_PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Length: 2000", bytes(1500, 8));
            socket.shutdownOutput(); // the body ends here, 500 bytes short
            answer = RawHttp.parse(RawHttp.readToEnd(socket));
        }

        assertRawError(answer, 400, "length_mismatch");
        assertThat(get().body()).isEqualTo(held);
        assertThat(tmpFiles()).isEmpty();
    }

    @Test
    void aServerWithoutRoomAnswers507ToAWholeCopyRatherThanCuttingItOff() throws Exception {
        byte[] held = bytes(100, 9);
        put(held);
        server.close();
        server = ChunkServer.start(settings().withReserve(Long.MAX_VALUE / 2));

        HttpResponse<String> response = put(bytes(16 * 1024 * 1024, 10)); // far more than the sockets' buffers hold

        assertThat(assertError(response, 507, "disk_full").message())
                .startsWith("no room for a 16.0 MiB metadata copy in ");
        assertThat(get().body()).isEqualTo(held);
        assertThat(tmpFiles()).isEmpty();
    }

    @Test
    void theCopyIsNeitherListedNorCountedAsAChunk() throws Exception {
        byte[] chunk = bytes(1234, 11);
        ChunkId id = ChunkId.random();
        client.send(HttpRequest.newBuilder(uri(Protocol.chunkPath(id))).header(Protocol.SHA256_HEADER, sha256(chunk))
                .PUT(BodyPublishers.ofByteArray(chunk)).build(), BodyHandlers.ofString());
        put(bytes(50_000, 12));

        ChunkListing listing = Json.mapper().readValue(client.send(HttpRequest.newBuilder(uri(Protocol.CHUNKS_PATH))
                .GET().build(), BodyHandlers.ofString()).body(), ChunkListing.class);
        HealthReport health = Json.mapper().readValue(client.send(HttpRequest.newBuilder(uri(Protocol.HEALTH_PATH))
                .GET().build(), BodyHandlers.ofString()).body(), HealthReport.class);

        assertThat(listing.chunks()).containsExactly(new ChunkListing.Entry(id, chunk.length));
        assertThat(health.chunkCount()).isEqualTo(1);
        assertThat(health.usedBytes()).isEqualTo(chunk.length);
    }

    private ChunkServerSettings settings() {
        return new ChunkServerSettings(storage, InetAddress.getLoopbackAddress(), 0, serverTls.sslContext(),
                serverTls.fingerprint(), Optional.empty());
    }

    private HttpResponse<String> put(byte[] copy) throws Exception {
        return client.send(request().PUT(BodyPublishers.ofByteArray(copy)).build(), BodyHandlers.ofString());
    }

    private HttpResponse<String> put(byte[] copy, MasterId from) throws Exception {
        return client.send(request().header(Protocol.MASTER_ID_HEADER, from.hex()).PUT(BodyPublishers.ofByteArray(copy))
                .build(), BodyHandlers.ofString());
    }

    private HttpResponse<byte[]> get() throws Exception {
        return client.send(request().GET().build(), BodyHandlers.ofByteArray());
    }

    private HttpRequest.Builder request() {
        return HttpRequest.newBuilder(uri(Protocol.METADATA_COPY_PATH));
    }

    private URI uri(String path) {
        return URI.create("https://127.0.0.1:" + server.port() + path);
    }

    private List<Path> tmpFiles() throws IOException {
        try (Stream<Path> files = Files.list(storage.resolve("tmp"))) {
            return files.toList();
        }
    }
}
