package dfs.master.cluster;

import static dfs.master.cluster.ScriptedServer.answer;
import static dfs.master.cluster.ScriptedServer.head;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dfs.common.config.ClusterSecret;
import dfs.common.config.HostPort;
import dfs.common.crypto.Sha256;
import dfs.common.json.Json;
import dfs.common.testing.TestTls;
import dfs.common.tls.ClusterTls;
import dfs.common.wire.ChunkDeletion;
import dfs.common.wire.ChunkId;
import dfs.common.wire.ErrorBody;
import dfs.common.wire.ForwardHop;
import dfs.common.wire.HealthReport;
import dfs.common.wire.NodeId;
import dfs.common.wire.Protocol;
import dfs.common.wire.StoredChunk;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The chunk client against real TLS servers on 127.0.0.1 that misbehave on purpose; the
 * round trip with a real chunk server is in {@link ChunkClientRoundTripTest}.
 */
class ChunkClientTest {
    private static final Duration DEADLINE = Duration.ofMillis(800);

    private final ClusterSecret cluster = TestTls.newCluster();
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final ChunkClient client = new ChunkClient(TestTls.member(cluster, "master"), DEADLINE, pool);
    private final List<ScriptedServer> servers = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        client.close();
        for (ScriptedServer s : servers) {
            s.close();
        }
        pool.shutdownNow();
    }

    private ScriptedServer server(ScriptedServer.Script script) throws IOException {
        return server(TestTls.member(cluster, "server"), script);
    }

    private ScriptedServer server(ClusterTls identity, ScriptedServer.Script script) throws IOException {
        ScriptedServer s = ScriptedServer.start(identity, script);
        servers.add(s);
        return s;
    }

    private static ChunkServerException failureOf(Future<?> exchange) {
        try {
            exchange.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(ChunkServerException.class);
            return (ChunkServerException) e.getCause();
        } catch (Exception e) {
            throw new AssertionError("the exchange did not fail by itself", e);
        }
        throw new AssertionError("the exchange succeeded");
    }

    private static byte[] json(Object value) throws IOException {
        return Json.mapper().writeValueAsBytes(value);
    }

    @Test
    void aBodyThatStallsHalfWayFailsAtTheDeadlineInsteadOfWaitingForever() throws Exception {
        ScriptedServer staller = server((request, out) -> {
            out.write(head(200, "Content-Length: 1000"));
            out.write("x".repeat(10).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            servers.get(0).silence(); // as a host does whose cable is pulled mid-transfer
        });
        long t0 = System.nanoTime();

        ChunkServerException e = failureOf(client.get(staller.address(), ChunkId.random()));

        assertThat(e.getMessage()).contains("unreachable: no answer in time");
        assertThat(e.unreachable()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("gave up long before the test's own limit")
                .isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void aBodyTricklingInFasterThanTheSocketTimeoutStillEndsAtTheDeadline() throws Exception {
        ScriptedServer trickler = server((request, out) -> {
            out.write(head(200, "Content-Length: 1000"));
            for (int i = 0; i < 1000; i++) { // 100 s in all; each byte well within the socket timeout
                out.write('x');
                out.flush();
                Thread.sleep(100);
            }
        });
        long t0 = System.nanoTime();

        ChunkServerException e = failureOf(client.get(trickler.address(), ChunkId.random()));

        assertThat(e.getMessage()).contains("unreachable: no answer in time");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("the deadline, not the last byte, ended it")
                .isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void aChunkIsReadIntoOneArrayOfTheAnnouncedLength() throws Exception {
        byte[] chunk = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(chunk);
        ScriptedServer s = server((request, out) -> out.write(answer(200, "application/octet-stream", chunk)));

        assertThat(client.get(s.address(), ChunkId.random()).get(30, TimeUnit.SECONDS)).isEqualTo(chunk);
    }

    @Test
    void aBodyShorterThanItsContentLengthFails() throws Exception {
        ScriptedServer s = server((request, out) -> {
            out.write(head(200, "Content-Length: 1000"));
            out.write(new byte[10]);
            out.flush();
            throw new IOException("hang up after 10 bytes");
        });

        ChunkServerException e = failureOf(client.get(s.address(), ChunkId.random()));

        assertThat(e.unreachable()).isTrue();
        assertThat(e.getMessage()).contains("unreachable").doesNotContain("no answer in time");
    }

    @Test
    void aChunkWithoutContentLengthIsRefused() throws Exception {
        ScriptedServer s = server((request, out) -> {
            out.write(head(200, "Transfer-Encoding: chunked"));
            out.write("a\r\n0123456789\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        });

        ChunkServerException e = failureOf(client.get(s.address(), ChunkId.random()));

        assertThat(e.code()).isEqualTo("bad_response");
        assertThat(e.getMessage()).contains("without a Content-Length");
    }

    @Test
    void aChunkAnnouncedLargerThanAnyChunkIsRefusedWithoutReadingIt() throws Exception {
        ScriptedServer s = server((request, out) -> {
            out.write(head(200, "Content-Length: " + (Protocol.MAX_CHUNK_BYTES + 1)));
            out.write(new byte[1000]);
            out.flush();
            servers.get(0).silence(); // reading on would wait for the deadline
        });

        ChunkServerException e = failureOf(client.get(s.address(), ChunkId.random()));

        assertThat(e.code()).as(e.getMessage()).isEqualTo("bad_response");
        assertThat(e.getMessage()).contains("above the " + Protocol.MAX_CHUNK_BYTES);
    }

    @Test
    void aRepairsPutSendsTheChunkWithItsLengthTypeAndHashAndNothingElse() throws Exception {
        byte[] chunk = new byte[1024 * 1024 + 3];
        new Random(11).nextBytes(chunk);
        String sha = Sha256.hex(chunk);
        ChunkId id = ChunkId.random();
        ScriptedServer s = server((request, out) -> out.write(
                answer(201, "application/json", json(new StoredChunk(id, request.body().length, sha)))));

        StoredChunk stored = client.put(s.address(), id, chunk, sha).get(30, TimeUnit.SECONDS);

        assertThat(stored).isEqualTo(new StoredChunk(id, chunk.length, sha));
        ScriptedServer.Request sent = s.requests().get(0);
        assertThat(sent.method()).isEqualTo("PUT");
        assertThat(sent.path()).isEqualTo(Protocol.chunkPath(id));
        assertThat(sent.body()).isEqualTo(chunk);
        assertThat(sent.headers())
                .containsEntry("content-length", Integer.toString(chunk.length))
                .containsEntry("content-type", "application/octet-stream")
                .containsEntry(Protocol.SHA256_HEADER.toLowerCase(), sha)
                // chunks are encrypted: never ask for compression; and no cookies, no client chatter
                .doesNotContainKeys("accept-encoding", "cookie", "user-agent", "expect",
                        Protocol.FORWARD_HEADER.toLowerCase(), Protocol.CRC32C_HEADER.toLowerCase());
    }

    @Test
    void anUploadsPutAlsoSendsTheCrc32cComputedWithTheHash() throws Exception {
        byte[] chunk = new byte[300_000];
        new Random(12).nextBytes(chunk);
        SealedChunk sealed = SealedChunk.of(ChunkId.random(), chunk);
        ScriptedServer s = server((request, out) -> out.write(answer(201, "application/json",
                json(new StoredChunk(sealed.id(), request.body().length, sealed.sha256())))));

        client.put(s.address(), sealed, List.of()).get(30, TimeUnit.SECONDS);

        CRC32C crc = new CRC32C();
        crc.update(chunk);
        assertThat(s.requests().get(0).headers())
                .containsEntry(Protocol.SHA256_HEADER.toLowerCase(), Sha256.hex(chunk))
                .containsEntry(Protocol.CRC32C_HEADER.toLowerCase(), String.format("%08x", crc.getValue()));
    }

    @Test
    void aPutWithAForwardChainNamesItsHopsInOrderAndReturnsWhichStoredIt() throws Exception {
        byte[] chunk = "sealed".getBytes(StandardCharsets.US_ASCII);
        String sha = Sha256.hex(chunk);
        ChunkId id = ChunkId.random();
        ForwardHop second = new ForwardHop(NodeId.random(), HostPort.parse("127.0.0.1:7443"));
        ForwardHop third = new ForwardHop(NodeId.random(), HostPort.parse("[::1]:7444"));
        ScriptedServer s = server((request, out) -> out.write(answer(201, "application/json",
                json(new StoredChunk(id, chunk.length, sha, List.of(second.node()), "node x: connection refused")))));

        StoredChunk stored = client.put(s.address(), SealedChunk.of(id, chunk), List.of(second, third))
                .get(30, TimeUnit.SECONDS);

        assertThat(stored.forwardedTo()).containsExactly(second.node());
        assertThat(stored.forwardFailure()).isEqualTo("node x: connection refused");
        assertThat(s.requests().get(0).headers()).containsEntry(Protocol.FORWARD_HEADER.toLowerCase(),
                second.node().hex() + "@127.0.0.1:7443," + third.node().hex() + "@[::1]:7444");
    }

    @Test
    void anAcknowledgementOfOtherBytesIsABadAck() throws Exception {
        byte[] chunk = "sealed".getBytes(StandardCharsets.US_ASCII);
        ChunkId id = ChunkId.random();
        ScriptedServer s = server((request, out) -> out.write(
                answer(201, "application/json", json(new StoredChunk(id, chunk.length, Sha256.hex(new byte[1]))))));

        ChunkServerException e = failureOf(client.put(s.address(), id, chunk, Sha256.hex(chunk)));

        assertThat(e.code()).isEqualTo("bad_ack");
        assertThat(e.status()).isEqualTo(201);
    }

    @Test
    void anErrorAnswerBecomesItsCodeAndMessage() throws Exception {
        ScriptedServer s = server((request, out) -> out.write(answer(507, "application/json",
                json(new ErrorBody("disk_full", "the disk is full; free some space")))));

        ChunkServerException e = failureOf(client.put(s.address(), ChunkId.random(), new byte[10], Sha256.hex(new byte[10])));

        assertThat(e.status()).isEqualTo(507);
        assertThat(e.code()).isEqualTo("disk_full");
        assertThat(e.unreachable()).isFalse();
        assertThat(e.getMessage()).contains("(HTTP 507): the disk is full; free some space");
    }

    @Test
    void deletingAMissingChunkIsFalseAndAPresentOneTrue() throws Exception {
        ScriptedServer s = server((request, out) -> out.write(request.path().endsWith("0".repeat(32))
                ? answer(404, "application/json", json(new ErrorBody("no_such_chunk", "no chunk with that id")))
                : head(204, "Content-Length: 0")));

        assertThat(client.delete(s.address(), ChunkId.parse("0".repeat(32)))).isFalse();
        assertThat(client.delete(s.address(), ChunkId.parse("1".repeat(32)))).isTrue();
    }

    @Test
    void manyDeletionsGoAsOneJsonPostAndAServerWithoutThatRequestSaysSoByA404() throws Exception {
        List<ChunkId> ids = List.of(ChunkId.parse("0".repeat(32)), ChunkId.parse("1".repeat(32)));
        ScriptedServer current = server((request, out) -> out.write(answer(200, "application/json",
                json(new ChunkDeletion.Result(1, 1)))));
        ScriptedServer older = server((request, out) -> out.write(answer(404, "application/json",
                json(new ErrorBody("not_found", "no endpoint " + request.method() + " " + request.path())))));

        assertThat(client.deleteAll(current.address(), ids)).contains(new ChunkDeletion.Result(1, 1));
        assertThat(client.deleteAll(older.address(), ids)).isEmpty();

        ScriptedServer.Request sent = current.requests().get(0);
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.path()).isEqualTo(Protocol.CHUNK_DELETIONS_PATH);
        assertThat(sent.headers().get("content-type")).startsWith("application/json");
        assertThat(new String(sent.body(), StandardCharsets.UTF_8))
                .isEqualTo("{\"ids\":[\"" + "0".repeat(32) + "\",\"" + "1".repeat(32) + "\"]}");
    }

    @Test
    void aServerWithoutManyDeletionsIsSentOneDeletePerChunk() throws Exception {
        List<ChunkId> ids = List.of(ChunkId.parse("0".repeat(32)), ChunkId.parse("1".repeat(32)),
                ChunkId.parse("2".repeat(32)));
        ScriptedServer older = server((request, out) -> out.write(request.method().equals("DELETE")
                && !request.path().endsWith("0".repeat(32)) ? head(204, "Content-Length: 0")
                : answer(404, "application/json", json(new ErrorBody("not_found", "no such thing")))));

        assertThat(client.deleteMany(older.address(), ids)).isEqualTo(2);

        assertThat(older.requests()).extracting(r -> r.method() + " " + r.path()).containsExactly(
                "POST " + Protocol.CHUNK_DELETIONS_PATH, "DELETE " + Protocol.chunkPath(ids.get(0)),
                "DELETE " + Protocol.chunkPath(ids.get(1)), "DELETE " + Protocol.chunkPath(ids.get(2)));
    }

    @Test
    void consecutiveExchangesReuseOneConnection() throws Exception {
        byte[] chunk = new byte[100_000];
        ScriptedServer s = server((request, out) -> out.write(answer(200, "application/octet-stream", chunk)));

        for (int i = 0; i < 5; i++) {
            client.get(s.address(), ChunkId.random()).get(30, TimeUnit.SECONDS);
        }

        assertThat(s.requests()).hasSize(5);
        assertThat(s.connections()).hasSize(1);
    }

    @Test
    void aFailedExchangeIsNotRetried() throws Exception {
        ScriptedServer s = server((request, out) -> {
            throw new IOException("hang up without an answer");
        });

        failureOf(client.get(s.address(), ChunkId.random()));

        assertThat(s.requests()).hasSize(1);
    }

    @Test
    void theClientPresentsItsClusterCertificateOverTls13() throws Exception {
        ScriptedServer s = server((request, out) -> out.write(head(204, "Content-Length: 0")));

        client.delete(s.address(), ChunkId.random());

        assertThat(s.connections()).containsExactly(new ScriptedServer.Connection("TLSv1.3", Optional.of("master")));
    }

    @Test
    void healthChecksThatTheCertificateNamesTheReportedNode() throws Exception {
        NodeId node = NodeId.random();
        ScriptedServer s = server(TestTls.member(cluster, node.hex()), (request, out) -> out.write(
                answer(200, "application/json", json(health(node)))));

        assertThat(client.health(s.address(), DEADLINE).node()).isEqualTo(node);
    }

    @Test
    void aServerReportingAnotherNodeThanItsCertificateNamesIsAnIdentityMismatch() throws Exception {
        NodeId certified = NodeId.random();
        NodeId claimed = NodeId.random();
        ScriptedServer s = server(TestTls.member(cluster, certified.hex()), (request, out) -> out.write(
                answer(200, "application/json", json(health(claimed)))));

        assertThatThrownBy(() -> client.health(s.address(), DEADLINE))
                .isInstanceOfSatisfying(ChunkServerException.class, e -> assertThat(e.code()).isEqualTo("identity_mismatch"))
                .hasMessageContaining("reports node " + claimed + " but its certificate names " + certified.hex());
    }

    @Test
    void aServerOfAnotherClusterFailsTheHandshake() throws Exception {
        ScriptedServer stranger = server(TestTls.member(TestTls.newCluster(), "stranger"),
                (request, out) -> out.write(head(204, "Content-Length: 0")));

        assertThatThrownBy(() -> client.health(stranger.address(), DEADLINE))
                .isInstanceOf(ChunkServerException.class)
                .hasMessageContaining("TLS handshake failed (is it a member of this cluster?)")
                .hasCauseInstanceOf(SSLHandshakeException.class);
        assertThat(stranger.requests()).isEmpty();
    }

    @Test
    void aClientOfAnotherClusterIsTurnedAwayBeforeItsRequest() throws Exception {
        ScriptedServer s = server((request, out) -> out.write(head(204, "Content-Length: 0")));

        try (ChunkClient stranger = new ChunkClient(TestTls.member(TestTls.newCluster(), "stranger"), DEADLINE, pool)) {
            assertThatThrownBy(() -> stranger.delete(s.address(), ChunkId.random()))
                    .isInstanceOfSatisfying(ChunkServerException.class, e -> assertThat(e.unreachable()).isTrue())
                    .hasMessageContaining("TLS handshake failed (is it a member of this cluster?)");
        }
        assertThat(s.requests()).isEmpty();
    }

    @Test
    void aPortWithNoServerIsConnectionRefused() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }

        assertThatThrownBy(() -> client.list(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)))
                .isInstanceOfSatisfying(ChunkServerException.class, e -> assertThat(e.unreachable()).isTrue())
                .hasMessageContaining("unreachable: connection refused");
    }

    private static HealthReport health(NodeId node) {
        return new HealthReport(node, "test", Protocol.VERSION, 0, 0, 1, 1, null, null);
    }
}
