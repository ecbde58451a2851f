package dfs.master.cluster;

import static dfs.master.cluster.ScriptedServer.answer;
import static dfs.master.cluster.ScriptedServer.head;
import static org.assertj.core.api.Assertions.assertThat;

import dfs.chunkserver.store.VerifyResult;
import dfs.common.Version;
import dfs.common.config.DfsConfig;
import dfs.common.crypto.MasterKey;
import dfs.common.crypto.Sha256;
import dfs.common.json.Json;
import dfs.common.testing.TestTls;
import dfs.common.tls.ClusterTls;
import dfs.common.wire.ChunkId;
import dfs.common.wire.ChunkListing;
import dfs.common.wire.Crc32c;
import dfs.common.wire.ForwardHop;
import dfs.common.wire.HealthReport;
import dfs.common.wire.NodeId;
import dfs.common.wire.Protocol;
import dfs.common.wire.StoredChunk;
import dfs.master.Master;
import dfs.master.discovery.Discoveries;
import dfs.master.metadata.ChunkRecord;
import dfs.master.metadata.FileRecord;
import dfs.master.testing.TestCluster;
import dfs.master.transfer.Progress;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chained uploads do not take a server's word for the copies it passed on. The first server of
 * every chain here is a cluster member that lies: it keeps each chunk but claims to have passed
 * it on without doing so, or passes on other bytes under their own hash. The master must notice,
 * through the next server itself, and store that copy directly or elsewhere; the file must come
 * back intact from the copies recorded besides the liar's.
 */
class ChainConfirmationTest {
    private static final long PLENTY = 1L << 50; // far more free space than the real servers: always chosen first

    @TempDir
    Path dir;
    TestCluster cluster;
    ScriptedServer liar;
    Master master;
    final NodeId liarNode = NodeId.random();
    final Map<ChunkId, byte[]> kept = new ConcurrentHashMap<>();
    /** Set by a test: the liar passes each chunk on altered, with the hash of what it sends. */
    volatile boolean passOnAltered;
    /**
     * Set by a test: the liar passes each chunk on altered under the master's hash, with a CRC-32C
     * that matches what it sends, which the next server's check on arrival accepts.
     */
    volatile boolean passOnAlteredUnderMastersHash;
    final Map<ChunkId, NodeId> alteredOn = new ConcurrentHashMap<>();
    final ExecutorService pool = Executors.newCachedThreadPool();
    ChunkClient accomplice;

    @BeforeEach
    void start() throws IOException {
        cluster = TestCluster.start(dir.resolve("servers"), 2);
        liar = ScriptedServer.start(TestTls.member(cluster.secret(), liarNode.hex()), this::lie);
        accomplice = new ChunkClient(TestTls.member(cluster.secret(), liarNode.hex()), Duration.ofSeconds(10), pool);
        String servers = "127.0.0.1:" + cluster.port(0) + ",127.0.0.1:" + cluster.port(1) + ","
                + ChunkClient.format(liar.address());
        DfsConfig config = cluster.masterConfig(dir, Map.of(DfsConfig.REPLICATION_PATH, "chain",
                DfsConfig.CHUNK_SERVERS, servers, DfsConfig.NUM_CHUNK_SERVERS, "3"));
        ClusterTls tls = ClusterTls.create(cluster.secret(), "dfs-master", Set.of());
        master = Master.start(config, MasterKey.generate(), Discoveries.fromConfig(config, tls), tls);
        master.awaitServers(3, config.discoveryTimeout());
    }

    @AfterEach
    void stop() throws IOException {
        if (master != null) {
            master.close();
        }
        accomplice.close();
        pool.shutdownNow();
        liar.close();
        cluster.close();
    }

    @Test
    void aCopyTheFirstServerClaimsToHavePassedOnIsConfirmedAndStoredDirectlyWhenMissing() throws IOException {
        byte[] data = randomFile(41);

        FileRecord r = master.upload(dir.resolve("f"), "f", Progress.NONE);

        for (ChunkRecord c : r.chunks()) {
            assertThat(c.servers()).as("chunk %d", c.index()).hasSize(2).contains(liarNode);
            assertThat(cluster.chunkFile(honestHolder(c), c.id())).as("chunk %d", c.index()).isPresent();
        }
        // chunk PUTs only: the master's metadata copy, a PUT too, may go out by now
        assertThat(liar.requests()).filteredOn(q -> q.method().equals("PUT") && q.path().startsWith(Protocol.CHUNKS_PATH + "/"))
                .isNotEmpty().allSatisfy(q -> assertThat(q.headers()).containsKey(Protocol.FORWARD_HEADER.toLowerCase()));
        kept.clear(); // the liar loses everything: the file must come back from the confirmed copies alone
        assertThat(downloaded("f")).isEqualTo(data);
    }

    @Test
    void aCopyPassedOnAlteredIsPlacedOnAnotherServer() throws IOException {
        passOnAltered = true;
        byte[] data = randomFile(43);

        FileRecord r = master.upload(dir.resolve("f"), "f", Progress.NONE);

        assertThat(alteredOn).hasSize(r.chunks().size());
        for (ChunkRecord c : r.chunks()) {
            assertThat(c.servers()).as("chunk %d", c.index()).hasSize(2).contains(liarNode)
                    .doesNotContain(alteredOn.get(c.id()));
        }
        kept.clear(); // the file must come back from the copies placed elsewhere alone
        assertThat(downloaded("f")).isEqualTo(data);
    }

    @Test
    void aCopyPassedOnAlteredUnderTheMastersHashIsFoundByTheNextServersRehashAndStoredDirectly() throws IOException {
        passOnAlteredUnderMastersHash = true;
        byte[] data = randomFile(47);

        FileRecord r = master.upload(dir.resolve("f"), "f", Progress.NONE);

        assertThat(alteredOn).hasSize(r.chunks().size());
        for (ChunkRecord c : r.chunks()) {
            assertThat(cluster.store(honestHolder(c)).verify(c.id()).status()).as("chunk %d", c.index())
                    .isEqualTo(VerifyResult.Status.OK);
        }
        kept.clear(); // the file must come back from the copies the master stored directly
        assertThat(downloaded("f")).isEqualTo(data);
    }

    /** Which of the real servers (by index) the record names beside the liar. */
    private int honestHolder(ChunkRecord c) {
        NodeId other = c.servers().stream().filter(n -> !n.equals(liarNode)).findFirst().orElseThrow();
        return other.equals(cluster.nodeId(0)) ? 0 : 1;
    }

    /** Ten chunks and a bit of random bytes, written to {@code f}. */
    private byte[] randomFile(int seed) throws IOException {
        byte[] data = new byte[10 * 64 * 1024 + 7];
        new Random(seed).nextBytes(data);
        Files.write(dir.resolve("f"), data);
        return data;
    }

    private byte[] downloaded(String name) throws IOException {
        Path back = dir.resolve("back");
        master.download(name, back, Progress.NONE);
        return Files.readAllBytes(back);
    }

    /**
     * A member answering health, listings and chunk requests, claiming forwards it never makes
     * (or, with {@link #passOnAltered}, makes with other bytes).
     */
    private void lie(ScriptedServer.Request q, OutputStream out) throws Exception {
        String path = q.path();
        if (q.method().equals("GET") && path.equals(Protocol.HEALTH_PATH)) {
            json(out, 200, new HealthReport(liarNode, Version.CURRENT, Protocol.VERSION, kept.size(), 0, PLENTY,
                    PLENTY));
        } else if (q.method().equals("GET") && path.equals(Protocol.CHUNKS_PATH)) {
            json(out, 200, new ChunkListing(liarNode, kept.entrySet().stream()
                    .map(e -> new ChunkListing.Entry(e.getKey(), e.getValue().length)).toList()));
        } else if (path.startsWith(Protocol.CHUNKS_PATH + "/")) {
            ChunkId id = ChunkId.parse(path.substring(Protocol.CHUNKS_PATH.length() + 1));
            switch (q.method()) {
                case "PUT" -> {
                    kept.put(id, q.body());
                    String forward = q.headers().get(Protocol.FORWARD_HEADER.toLowerCase());
                    List<ForwardHop> hops = forward == null ? List.of() : ForwardHop.parseAll(forward);
                    List<NodeId> claimed = hops.stream().map(ForwardHop::node).toList();
                    if (passOnAltered && !hops.isEmpty()) {
                        ForwardHop next = hops.get(0);
                        byte[] altered = q.body().clone();
                        altered[0] ^= 1;
                        accomplice.put(next.address().toSocketAddress(), id, altered, Sha256.hex(altered)).join();
                        alteredOn.put(id, next.node());
                    }
                    if (passOnAlteredUnderMastersHash && !hops.isEmpty()) {
                        ForwardHop next = hops.get(0);
                        byte[] altered = q.body().clone();
                        altered[0] ^= 1;
                        String mastersHash = q.headers().get(Protocol.SHA256_HEADER.toLowerCase());
                        accomplice.put(next.address().toSocketAddress(),
                                new SealedChunk(id, altered, mastersHash, Crc32c.hex(altered)), List.of()).join();
                        alteredOn.put(id, next.node());
                    }
                    json(out, 201, new StoredChunk(id, q.body().length, Sha256.hex(q.body()), claimed, null));
                }
                case "GET" -> {
                    byte[] body = kept.get(id);
                    if (body == null) {
                        out.write(answer(404, "application/json", "{\"error\":\"chunk_not_found\",\"message\":\"no\"}"
                                .getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
                    } else {
                        out.write(head(200, "Content-Type: application/octet-stream\r\nContent-Length: " + body.length
                                + "\r\n" + Protocol.SHA256_HEADER + ": " + Sha256.hex(body)));
                        out.write(body);
                    }
                }
                case "DELETE" -> out.write(head(kept.remove(id) == null ? 404 : 204, "Content-Length: 0"));
                default -> out.write(head(405, "Content-Length: 0"));
            }
        } else {
            out.write(head(404, "Content-Length: 0"));
        }
        out.flush();
    }

    private static void json(OutputStream out, int status, Object body) throws IOException {
        out.write(answer(status, "application/json", Json.mapper().writeValueAsBytes(body)));
    }
}
