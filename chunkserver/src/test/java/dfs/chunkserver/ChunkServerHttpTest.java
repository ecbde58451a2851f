package dfs.chunkserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dfs.chunkserver.store.VerifyResult;
import dfs.common.Version;
import dfs.common.config.ClusterSecret;
import dfs.common.json.Json;
import dfs.common.testing.TestData;
import dfs.common.testing.TestTls;
import dfs.common.tls.ClusterTls;
import dfs.common.wire.ChunkId;
import dfs.common.wire.ChunkListing;
import dfs.common.wire.Crc32c;
import dfs.common.wire.ErrorBody;
import dfs.common.wire.HealthReport;
import dfs.common.wire.Protocol;
import dfs.common.wire.StoredChunk;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chunk server's HTTPS protocol, end to end: a real server, real mutual TLS, the JDK client. */
class ChunkServerHttpTest {
    @TempDir
    Path sandbox;

    private Path storage;
    private ClusterSecret secret;
    private ClusterTls serverTls;
    private ClusterTls clientTls;
    private ChunkServer server;
    private HttpClient client;

    @BeforeEach
    void start() throws IOException {
        storage = sandbox.resolve("storage");
        secret = TestTls.newCluster();
        serverTls = TestTls.member(secret, "chunk-server");
        clientTls = TestTls.member(secret, "master");
        server = ChunkServer.start(settings());
        client = client(clientTls.sslContext());
    }

    private ChunkServerSettings settings() {
        return new ChunkServerSettings(storage, InetAddress.getLoopbackAddress(), 0, serverTls.sslContext(),
                serverTls.fingerprint(), Optional.empty());
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    @Test
    void aServerWithoutRoomAnswers507ToAWholeChunkRatherThanCuttingItOff() throws Exception {
        server.close();
        server = ChunkServer.start(settings().withReserve(Long.MAX_VALUE / 2));
        byte[] data = bytes(16 * 1024 * 1024, 7); // far more than the sockets' buffers hold

        HttpResponse<String> response = put(ChunkId.random(), data, sha256(data));

        assertThat(assertError(response, 507, "disk_full").message()).startsWith("no room for a 16.0 MiB chunk in ");
        assertThat(tmpFiles()).isEmpty();
    }

    @Test
    void newChunkIsStoredWith201() throws Exception {
        byte[] data = bytes(10_000, 1);
        ChunkId id = ChunkId.random();

        HttpResponse<String> response = put(id, data, sha256(data));

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(Json.mapper().readValue(response.body(), StoredChunk.class))
                .isEqualTo(new StoredChunk(id, data.length, sha256(data)));
    }

    @Test
    void repeatedPutOfTheSameBytesAnswers200() throws Exception {
        byte[] data = bytes(10_000, 2);
        ChunkId id = ChunkId.random();
        put(id, data, sha256(data));

        HttpResponse<String> again = put(id, data, sha256(data));

        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(Json.mapper().readValue(again.body(), StoredChunk.class).sha256()).isEqualTo(sha256(data));
    }

    @Test
    void differentBytesUnderAStoredIdAnswer409() throws Exception {
        ChunkId id = ChunkId.random();
        byte[] first = bytes(100, 3);
        byte[] second = bytes(100, 4);
        put(id, first, sha256(first));

        assertError(put(id, second, sha256(second)), 409, "chunk_conflict");
        assertThat(get(id).body()).isEqualTo(first);
    }

    @Test
    void bodyNotMatchingItsHashHeaderAnswers400AndIsNotKept() throws Exception {
        ChunkId id = ChunkId.random();
        byte[] data = bytes(100, 5);

        assertError(put(id, data, sha256(bytes(100, 6))), 400, "hash_mismatch");
        assertError(get(id), 404, "chunk_not_found");
        assertThat(tmpFiles()).isEmpty();
    }

    @Test
    void aChunkGivenItsCrc32cIsCheckedAgainstItAndStoredUnderTheSendersHash() throws Exception {
        byte[] data = bytes(100_000, 30);
        ChunkId id = ChunkId.random();

        HttpResponse<String> response = put(id, data, sha256(data), Crc32c.hex(data));

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(get(id).body()).isEqualTo(data);
        assertThat(server.store().verify(id).status()).isEqualTo(VerifyResult.Status.OK);
    }

    @Test
    void bodyNotMatchingItsCrc32cHeaderAnswers400AndIsNotKept() throws Exception {
        ChunkId id = ChunkId.random();
        byte[] data = bytes(100, 31);

        ErrorBody error = assertError(put(id, data, sha256(data), Crc32c.hex(bytes(100, 32))), 400, "hash_mismatch");
        assertThat(error.message()).contains("CRC-32C");
        assertError(get(id), 404, "chunk_not_found");
        assertThat(tmpFiles()).isEmpty();
    }

    @Test
    void putWithMalformedCrc32cHeaderAnswers400() throws Exception {
        byte[] data = bytes(10, 33);
        for (String crc : List.of("", "1234567", "123456789", "ABCDEF01", "xyz")) {
            assertError(put(ChunkId.random(), data, sha256(data), crc), 400, "bad_checksum");
        }
    }

    @Test
    void headWithVerifyRehashesTheStoredBytesAndAnswers409AndQuarantinesThemWhenTheyRotted() throws Exception {
        byte[] data = bytes(100_000, 34);
        ChunkId id = ChunkId.random();
        put(id, data, sha256(data), Crc32c.hex(data));

        HttpResponse<String> intact = head(id, "?verify=sha256");
        byte[] onDisk = Files.readAllBytes(chunkFile(id));
        onDisk[onDisk.length - 10] ^= 0x40;
        Files.write(chunkFile(id), onDisk);

        assertThat(intact.statusCode()).isEqualTo(200);
        assertThat(intact.headers().firstValue(Protocol.SHA256_HEADER)).contains(sha256(data));
        assertThat(head(id, "").statusCode()).as("without verify: the recorded hash, unchecked").isEqualTo(200);
        assertThat(head(id, "?verify=sha256").statusCode()).isEqualTo(409);
        assertThat(head(id, "").statusCode()).as("the rotted copy reads as missing").isEqualTo(404);
        try (Stream<Path> quarantined = Files.list(storage.resolve("quarantine"))) {
            assertThat(quarantined.map(p -> p.getFileName().toString())).containsExactly(id.hex() + ".1");
        }
        assertThat(head(ChunkId.random(), "?verify=sha256").statusCode()).isEqualTo(404);
        assertThat(head(id, "?verify=md5").statusCode()).isEqualTo(400);
    }

    @Test
    void putWithoutHashHeaderAnswers400() throws Exception {
        HttpResponse<String> response = client.send(request(Protocol.chunkPath(ChunkId.random()))
                .PUT(BodyPublishers.ofByteArray(bytes(10, 7))).build(), BodyHandlers.ofString());

        assertError(response, 400, "missing_hash");
    }

    @Test
    void putWithMalformedHashHeaderAnswers400() throws Exception {
        assertError(put(ChunkId.random(), bytes(10, 8), "not-a-hash"), 400, "bad_hash");
    }

    @Test
    void putWithoutContentLengthAnswers411() throws Exception {
        byte[] data = bytes(100, 9);
        HttpResponse<String> response = client.send(request(Protocol.chunkPath(ChunkId.random()))
                .header(Protocol.SHA256_HEADER, sha256(data))
                .PUT(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(data))).build(),
                BodyHandlers.ofString());

        assertError(response, 411, "length_required");
    }

    @Test
    void putLargerThanTheProtocolAllowsAnswers413() throws Exception {
        RawHttp.Answer answer = RawHttp.exchange(clientTls.sslContext(), server.port(),
                "PUT " + Protocol.chunkPath(ChunkId.random()) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + Protocol.SHA256_HEADER + ": " + sha256(new byte[0]) + "\r\n"
                        + "Content-Length: " + (Protocol.MAX_CHUNK_BYTES + 1));

        assertRawError(answer, 413, "chunk_too_large");
    }

    @Test
    void putWithMalformedIdAnswers400() throws Exception {
        byte[] data = bytes(10, 10);
        HttpResponse<String> response = client.send(request(Protocol.CHUNKS_PATH + "/ABC")
                .header(Protocol.SHA256_HEADER, sha256(data)).PUT(BodyPublishers.ofByteArray(data)).build(),
                BodyHandlers.ofString());

        assertError(response, 400, "bad_chunk_id");
    }

    @Test
    void storedChunkDownloadsWithItsLengthAndHash() throws Exception {
        byte[] data = bytes(3 * 1024 * 1024 + 17, 11); // past any default request/response buffer
        ChunkId id = ChunkId.random();
        put(id, data, sha256(data));

        HttpResponse<byte[]> response = get(id);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue(Protocol.SHA256_HEADER)).contains(sha256(data));
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(data.length);
        assertThat(response.body()).isEqualTo(data);
    }

    @Test
    void aShortChunkServedAfterALongOneCarriesNothingOfIt() throws Exception {
        byte[] longer = bytes(700 * 1024 + 3, 12); // several send buffers, the last one partly filled
        byte[] shorter = bytes(10, 13);
        ChunkId longId = ChunkId.random();
        ChunkId shortId = ChunkId.random();
        put(longId, longer, sha256(longer));
        put(shortId, shorter, sha256(shorter));

        for (int round = 0; round < 3; round++) { // send buffers are reused between GETs
            assertThat(get(longId).body()).isEqualTo(longer);
            assertThat(get(shortId).body()).isEqualTo(shorter);
        }
    }

    @Test
    void downloadIsNeverCompressed() throws Exception {
        byte[] data = new byte[100_000]; // zeros: as compressible as it gets
        ChunkId id = ChunkId.random();
        put(id, data, sha256(data));

        HttpResponse<byte[]> response = client.send(request(Protocol.chunkPath(id))
                .header("Accept-Encoding", "gzip").GET().build(), BodyHandlers.ofByteArray());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(data.length);
        assertThat(response.body()).isEqualTo(data);
    }

    @Test
    void jsonAnswersAreNeverCompressed() throws Exception {
        for (int i = 0; i < 200; i++) {
            byte[] data = bytes(1, i);
            put(ChunkId.random(), data, sha256(data));
        }

        HttpResponse<String> response = client.send(request(Protocol.CHUNKS_PATH)
                .header("Accept-Encoding", "gzip").GET().build(), BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(Json.mapper().readValue(response.body(), ChunkListing.class).chunks()).hasSize(200);
    }

    @Test
    void unknownChunkAnswers404() throws Exception {
        assertError(get(ChunkId.random()), 404, "chunk_not_found");
    }

    @Test
    void getWithMalformedIdAnswers400() throws Exception {
        HttpResponse<String> response = client.send(request(Protocol.CHUNKS_PATH + "/xyz").GET().build(),
                BodyHandlers.ofString());

        assertError(response, 400, "bad_chunk_id");
    }

    @Test
    void corruptChunkAnswers500WithoutServingIt() throws Exception {
        byte[] data = bytes(1000, 12);
        ChunkId id = ChunkId.random();
        put(id, data, sha256(data));
        Path file = storage.resolve("chunks").resolve(id.hex().substring(0, 2)).resolve(id.hex());
        Files.write(file, new byte[10]);

        assertError(get(id), 500, "chunk_corrupt");
    }

    @Test
    void aCorruptChunkIsQuarantinedSoTheNextGetAnswers404() throws Exception {
        byte[] data = bytes(1000, 14);
        ChunkId id = ChunkId.random();
        put(id, data, sha256(data));
        Files.write(chunkFile(id), new byte[10]);
        get(id);

        assertError(get(id), 404, "chunk_not_found");
        try (Stream<Path> quarantined = Files.list(storage.resolve("quarantine"))) {
            assertThat(quarantined.map(p -> p.getFileName().toString())).containsExactly(id.hex() + ".1");
        }
    }

    @Test
    void aChunkWhosePayloadRottedGoesOutWithItsRecordedHashSoTheReceiverRejectsIt() throws Exception {
        byte[] data = bytes(100_000, 15);
        ChunkId id = ChunkId.random();
        put(id, data, sha256(data));
        byte[] onDisk = Files.readAllBytes(chunkFile(id));
        onDisk[onDisk.length - 10] ^= 0x40;
        Files.write(chunkFile(id), onDisk);

        HttpResponse<byte[]> rotted = get(id);

        assertThat(rotted.headers().firstValue(Protocol.SHA256_HEADER)).contains(sha256(data));
        assertThat(sha256(rotted.body())).isNotEqualTo(sha256(data));
    }

    @Test
    void healthReportsWhatTheScrubberFound() throws Exception {
        byte[] data = bytes(1000, 16);
        ChunkId id = ChunkId.random();
        put(id, data, sha256(data));
        Files.write(chunkFile(id), new byte[10]);
        get(id);

        HttpResponse<String> response = client.send(request(Protocol.HEALTH_PATH).GET().build(), BodyHandlers.ofString());

        HealthReport.Scrub scrub = Json.mapper().readValue(response.body(), HealthReport.class).scrub();
        assertThat(scrub).isNotNull();
        assertThat(scrub.corruptFound()).isEqualTo(1);
    }

    @Test
    void deletedChunkIsGone() throws Exception {
        byte[] data = bytes(100, 13);
        ChunkId id = ChunkId.random();
        put(id, data, sha256(data));

        HttpResponse<String> response = delete(id);

        assertThat(response.statusCode()).isEqualTo(204);
        assertError(get(id), 404, "chunk_not_found");
    }

    @Test
    void deletingAnAbsentChunkAnswers404() throws Exception {
        assertError(delete(ChunkId.random()), 404, "chunk_not_found");
    }

    @Test
    void deleteWithMalformedIdAnswers400() throws Exception {
        HttpResponse<String> response = client.send(request(Protocol.CHUNKS_PATH + "/1234").DELETE().build(),
                BodyHandlers.ofString());

        assertError(response, 400, "bad_chunk_id");
    }

    @Test
    void listingNamesEveryStoredChunkWithItsSize() throws Exception {
        ChunkId a = ChunkId.parse("a".repeat(32));
        ChunkId b = ChunkId.parse("b".repeat(32));
        put(b, bytes(20, 14), sha256(bytes(20, 14)));
        put(a, bytes(10, 15), sha256(bytes(10, 15)));

        HttpResponse<String> response = client.send(request(Protocol.CHUNKS_PATH).GET().build(),
                BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Json.mapper().readValue(response.body(), ChunkListing.class)).isEqualTo(new ChunkListing(
                server.nodeId(), List.of(new ChunkListing.Entry(a, 10), new ChunkListing.Entry(b, 20))));
    }

    @Test
    void aServerMarkedDrainedSaysSoInItsHealthAcrossRestartsUntilTheMarkIsTakenAwayAndStillTakesChunks()
            throws Exception {
        assertThat(health()).doesNotContain("draining");

        HttpResponse<String> marked = client.send(request(Protocol.DRAINING_PATH)
                .PUT(BodyPublishers.noBody()).build(), BodyHandlers.ofString());
        HttpResponse<String> again = client.send(request(Protocol.DRAINING_PATH)
                .PUT(BodyPublishers.noBody()).build(), BodyHandlers.ofString());
        byte[] data = bytes(1000, 17);

        assertThat(marked.statusCode()).isEqualTo(204);
        assertThat(again.statusCode()).isEqualTo(204);
        assertThat(Json.mapper().readValue(health(), HealthReport.class).drained()).isTrue();
        assertThat(put(ChunkId.random(), data, sha256(data)).statusCode()).isEqualTo(201);

        restart();
        assertThat(Json.mapper().readValue(health(), HealthReport.class).drained()).isTrue();

        HttpResponse<String> unmarked = client.send(request(Protocol.DRAINING_PATH).DELETE().build(),
                BodyHandlers.ofString());
        HttpResponse<String> unmarkedAgain = client.send(request(Protocol.DRAINING_PATH).DELETE().build(),
                BodyHandlers.ofString());
        assertThat(unmarked.statusCode()).isEqualTo(204);
        assertThat(unmarkedAgain.statusCode()).isEqualTo(204);
        assertThat(health()).doesNotContain("draining");
        assertThat(storage.resolve("draining")).doesNotExist();

        restart();
        assertThat(health()).doesNotContain("draining");
    }

    private void restart() throws IOException {
        server.close();
        server = ChunkServer.start(settings());
    }

    private String health() throws Exception {
        return client.send(request(Protocol.HEALTH_PATH).GET().build(), BodyHandlers.ofString()).body();
    }

    @Test
    void healthReportsIdentityVersionsAndSpace() throws Exception {
        byte[] data = bytes(1234, 16);
        put(ChunkId.random(), data, sha256(data));

        HttpResponse<String> response = client.send(request(Protocol.HEALTH_PATH).GET().build(),
                BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        HealthReport health = Json.mapper().readValue(response.body(), HealthReport.class);
        assertThat(health.node()).isEqualTo(server.nodeId());
        assertThat(health.version()).isEqualTo(Version.CURRENT);
        assertThat(health.protocol()).isEqualTo(Protocol.VERSION);
        assertThat(health.chunkCount()).isEqualTo(1);
        assertThat(health.usedBytes()).isEqualTo(1234);
        assertThat(health.freeBytes()).isPositive();
        assertThat(health.totalBytes()).isGreaterThanOrEqualTo(health.freeBytes());
        // the file system's device number, as stat(1) tells it, in hex
        Process stat = new ProcessBuilder("stat", "-c", "%d", storage.toString()).start();
        String device = new String(stat.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).strip();
        assertThat(stat.waitFor()).isZero();
        assertThat(health.disk()).isEqualTo(Long.toHexString(Long.parseLong(device)));
    }

    @Test
    void unknownPathAnswers404() throws Exception {
        HttpResponse<String> response = client.send(request("/v2/whatever").GET().build(), BodyHandlers.ofString());

        assertError(response, 404, "not_found");
    }

    @Test
    void wrongMethodAnswers405() throws Exception {
        HttpResponse<String> response = client.send(request(Protocol.chunkPath(ChunkId.random()))
                .POST(BodyPublishers.ofString("x")).build(), BodyHandlers.ofString());

        assertError(response, 405, "method_not_allowed");
    }

    @Test
    void oversizedHeadersAnswer431() throws Exception {
        HttpResponse<String> response = client.send(request(Protocol.HEALTH_PATH)
                .header("X-Padding", "p".repeat(20_000)).GET().build(), BodyHandlers.ofString());

        assertError(response, 431, "headers_too_large");
    }

    @Test
    void unexpectedFailureAnswers500WithoutInternals() throws Exception {
        Files.delete(storage.resolve("tmp")); // the store can no longer stage writes
        byte[] data = bytes(100, 17);

        HttpResponse<String> response = put(ChunkId.random(), data, sha256(data));

        ErrorBody error = assertError(response, 500, "internal_error");
        assertThat(error.message()).doesNotContain("Exception", "tmp", storage.toString());
        assertThat(response.body()).doesNotContain("\tat ", "dfs.chunkserver");
    }

    @Test
    void encodedTraversalInAChunkIdIsRefused() throws Exception {
        for (String method : List.of("GET", "PUT", "DELETE")) {
            RawHttp.Answer answer = RawHttp.exchange(clientTls.sslContext(), server.port(),
                    method + " /v1/chunks/..%2F..%2Fetc%2Fpasswd HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            + Protocol.SHA256_HEADER + ": " + sha256(new byte[0]) + "\r\nContent-Length: 0");

            assertThat(answer.status()).as(method).isBetween(400, 499);
            parseError(answer.body());
        }
        assertNothingOutsideTheStore();
    }

    @Test
    void dotSegmentsInAChunkPathAreRefused() throws Exception {
        for (String path : List.of("/v1/chunks/../x", "/v1/chunks/../../../etc/passwd", "/v1/chunks/%2e%2e/x")) {
            RawHttp.Answer answer = RawHttp.exchange(clientTls.sslContext(), server.port(),
                    "PUT " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            + Protocol.SHA256_HEADER + ": " + sha256(new byte[0]) + "\r\nContent-Length: 0");

            assertThat(answer.status()).as(path).isBetween(400, 499);
            parseError(answer.body());
        }
        assertNothingOutsideTheStore();
    }

    @Test
    void clientWithoutACertificateGetsNoAnswer() throws Exception {
        HttpClient outsider = client(OutsiderTls.withoutCertificate(serverTls));

        // The outsider trusts the server, so the fatal alert comes from the server refusing it.
        assertThatThrownBy(() -> outsider.send(request(Protocol.HEALTH_PATH).GET().build(), BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("Received fatal alert");
    }

    @Test
    void clientWithACertificateFromAnotherCaGetsNoAnswer() throws Exception {
        HttpClient outsider = client(OutsiderTls.withSelfSignedCertificate(serverTls));

        // The outsider trusts the server, so the fatal alert comes from the server refusing it.
        assertThatThrownBy(() -> outsider.send(request(Protocol.HEALTH_PATH).GET().build(), BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("Received fatal alert");
    }

    @Test
    void memberOfAnotherClusterGetsNoAnswer() throws Exception {
        HttpClient stranger = client(TestTls.member(TestTls.newCluster(), "stranger").sslContext());

        assertThatThrownBy(() -> stranger.send(request(Protocol.HEALTH_PATH).GET().build(), BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
    }

    @Test
    void clientWithTheDefaultTlsSetupGetsNoAnswer() throws Exception {
        HttpClient ordinary = client(SSLContext.getDefault());

        assertThatThrownBy(() -> ordinary.send(request(Protocol.HEALTH_PATH).GET().build(), BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
    }

    @Test
    void plainHttpOnThePortGetsNoHttpAnswer() throws Exception {
        byte[] reply;
        try (Socket socket = RawHttp.plain(server.port())) {
            RawHttp.send(socket, "GET " + Protocol.HEALTH_PATH + " HTTP/1.1\r\nHost: 127.0.0.1", new byte[0]);
            reply = readQuietly(socket);
        }

        assertThat(new String(reply, StandardCharsets.ISO_8859_1)).doesNotContain("HTTP/", "node");
    }

    private void assertNothingOutsideTheStore() throws IOException {
        try (Stream<Path> entries = Files.list(sandbox)) {
            assertThat(entries.toList()).containsExactly(storage);
        }
        try (Stream<Path> entries = Files.list(storage)) {
            assertThat(entries.map(p -> p.getFileName().toString()).toList())
                    .containsExactlyInAnyOrder("node_id", "in_use.lock", "chunks", "tmp", "free");
        }
        try (Stream<Path> entries = Files.walk(storage.resolve("chunks"))) {
            assertThat(entries.filter(Files::isRegularFile).toList()).isEmpty();
        }
    }

    private static byte[] readQuietly(Socket socket) {
        try {
            return RawHttp.readToEnd(socket);
        } catch (IOException e) {
            return new byte[0]; // a reset is as good an answer as silence
        }
    }

    private HttpResponse<String> put(ChunkId id, byte[] data, String sha256) throws Exception {
        return client.send(request(Protocol.chunkPath(id)).header(Protocol.SHA256_HEADER, sha256)
                .PUT(BodyPublishers.ofByteArray(data)).build(), BodyHandlers.ofString());
    }

    private HttpResponse<String> put(ChunkId id, byte[] data, String sha256, String crc32c) throws Exception {
        return client.send(request(Protocol.chunkPath(id)).header(Protocol.SHA256_HEADER, sha256)
                .header(Protocol.CRC32C_HEADER, crc32c).PUT(BodyPublishers.ofByteArray(data)).build(),
                BodyHandlers.ofString());
    }

    private HttpResponse<String> head(ChunkId id, String query) throws Exception {
        return client.send(request(Protocol.chunkPath(id) + query).method("HEAD", BodyPublishers.noBody()).build(),
                BodyHandlers.ofString());
    }

    private HttpResponse<byte[]> get(ChunkId id) throws Exception {
        return client.send(request(Protocol.chunkPath(id)).GET().build(), BodyHandlers.ofByteArray());
    }

    private HttpResponse<String> delete(ChunkId id) throws Exception {
        return client.send(request(Protocol.chunkPath(id)).DELETE().build(), BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + path));
    }

    private Path chunkFile(ChunkId id) {
        return storage.resolve("chunks").resolve(id.hex().substring(0, 2)).resolve(id.hex());
    }

    private List<Path> tmpFiles() throws IOException {
        try (Stream<Path> files = Files.list(storage.resolve("tmp"))) {
            return files.toList();
        }
    }

    private static HttpClient client(SSLContext context) {
        return HttpClient.newBuilder().sslContext(context).version(HttpClient.Version.HTTP_1_1).build();
    }

    static ErrorBody assertError(HttpResponse<?> response, int status, String code) throws IOException {
        assertThat(response.statusCode()).as("status").isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        Object body = response.body();
        byte[] raw = body instanceof byte[] bytes ? bytes : ((String) body).getBytes(StandardCharsets.UTF_8);
        ErrorBody error = parseError(raw);
        assertThat(error.error()).isEqualTo(code);
        assertThat(error.message()).isNotBlank();
        return error;
    }

    static void assertRawError(RawHttp.Answer answer, int status, String code) throws IOException {
        assertThat(answer.status()).isEqualTo(status);
        assertThat(answer.headers().get("content-type")).startsWith("application/json");
        assertThat(parseError(answer.body()).error()).isEqualTo(code);
    }

    static ErrorBody parseError(byte[] body) throws IOException {
        return Json.mapper().readValue(body, ErrorBody.class);
    }

    static byte[] bytes(int n, int salt) {
        return TestData.bytes(n, salt);
    }

    static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
