package dfs.master.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dfs.common.crypto.Sha256;
import dfs.common.tls.ClusterTls;
import dfs.common.wire.ChunkDeletion;
import dfs.common.wire.ChunkId;
import dfs.common.wire.ChunkListing;
import dfs.master.testing.TestCluster;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chunk client against a real chunk server (Jetty, mutual TLS) on 127.0.0.1. */
class ChunkClientRoundTripTest {
    @TempDir
    Path dir;
    TestCluster cluster;
    ExecutorService pool = Executors.newCachedThreadPool();
    ChunkClient client;
    InetSocketAddress server;

    @BeforeEach
    void start() throws IOException {
        cluster = TestCluster.start(dir, 1);
        client = new ChunkClient(ClusterTls.create(cluster.secret(), "dfs-master", Set.of()), Duration.ofSeconds(10), pool);
        server = new InetSocketAddress("127.0.0.1", cluster.port(0));
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        pool.shutdownNow();
        cluster.close();
    }

    @Test
    void chunksGoUpComeBackAreListedAndGo() throws Exception {
        Random random = new Random(5);
        List<ChunkId> ids = new ArrayList<>();
        List<byte[]> chunks = new ArrayList<>();
        List<CompletableFuture<?>> puts = new ArrayList<>();
        for (int i = 0; i < 12; i++) { // more in flight at once than an upload keeps on one server
            byte[] chunk = new byte[1024 * 1024 + i];
            random.nextBytes(chunk);
            ChunkId id = ChunkId.random();
            ids.add(id);
            chunks.add(chunk);
            puts.add(client.put(server, id, chunk, Sha256.hex(chunk)));
        }
        CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

        for (int i = 0; i < ids.size(); i++) {
            assertThat(client.get(server, ids.get(i)).get(60, TimeUnit.SECONDS)).isEqualTo(chunks.get(i));
        }
        assertThat(client.list(server).chunks()).extracting(ChunkListing.Entry::id).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(client.delete(server, ids.get(0))).isTrue();
        assertThat(client.delete(server, ids.get(0))).isFalse();
        assertThat(client.health(server, Duration.ofSeconds(5)).chunkCount()).isEqualTo(ids.size() - 1);
    }

    @Test
    void manyChunksGoInOneRequestThatCountsTheAbsentOnes() throws Exception {
        List<ChunkId> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            byte[] chunk = new byte[1000 + i];
            ChunkId id = ChunkId.random();
            client.put(server, id, chunk, Sha256.hex(chunk)).get(60, TimeUnit.SECONDS);
            ids.add(id);
        }
        List<ChunkId> named = new ArrayList<>(ids.subList(0, 4));
        named.add(ChunkId.random());

        assertThat(client.deleteAll(server, named)).contains(new ChunkDeletion.Result(4, 1));

        assertThat(client.list(server).chunks()).extracting(ChunkListing.Entry::id).containsExactly(ids.get(4));
        assertThat(cluster.allChunkFiles()).hasSize(1);
        // more than one request holds: the last stored chunk behind 1500 that are not
        List<ChunkId> many = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            many.add(ChunkId.random());
        }
        many.add(ids.get(4));
        assertThat(client.deleteMany(server, many)).isEqualTo(1);
        assertThat(cluster.allChunkFiles()).isEmpty();
        assertThatThrownBy(() -> new ChunkDeletion(Collections.nCopies(ChunkDeletion.MAX_IDS + 1, ids.get(4))))
                .hasMessage("a chunk deletion names 1 to 1000 chunk ids, not 1001");
    }

    @Test
    void aChunkIsFetchedIntoTheArrayTheCallerHandsOut() throws Exception {
        byte[] chunk = new byte[300 * 1024];
        new Random(6).nextBytes(chunk);
        ChunkId id = ChunkId.random();
        client.put(server, id, chunk, Sha256.hex(chunk)).get(60, TimeUnit.SECONDS);
        byte[] reused = new byte[chunk.length];
        java.util.Arrays.fill(reused, (byte) 7); // what an earlier chunk left in it

        byte[] fetched = client.get(server, id, length -> reused).get(60, TimeUnit.SECONDS);

        assertThat(fetched).isSameAs(reused).isEqualTo(chunk);
    }

    @Test
    void anArrayOfTheWrongLengthIsNeverFilled() throws Exception {
        byte[] chunk = new byte[1000];
        ChunkId id = ChunkId.random();
        client.put(server, id, chunk, Sha256.hex(chunk)).get(60, TimeUnit.SECONDS);

        Throwable failure = client.get(server, id, length -> new byte[length + 1]).handle((b, e) -> e)
                .get(60, TimeUnit.SECONDS);

        assertThat(failure).hasMessageContaining("a buffer of 1001 bytes for a body of 1000");
    }

    @Test
    void verifiedStatGivesTheSizeAndTheHashTheServerCheckedWithoutTheBytes() throws Exception {
        byte[] chunk = new byte[200_000];
        new Random(8).nextBytes(chunk);
        ChunkId id = ChunkId.random();
        client.put(server, id, chunk, Sha256.hex(chunk)).get(60, TimeUnit.SECONDS);

        assertThat(client.verifiedStat(server, id).get(60, TimeUnit.SECONDS))
                .isEqualTo(new dfs.common.wire.StoredChunk(id, chunk.length, Sha256.hex(chunk)));
        Throwable absent = client.verifiedStat(server, ChunkId.random()).handle((s, e) -> e).get(60, TimeUnit.SECONDS);
        assertThat(absent).isInstanceOf(ChunkServerException.class);
        assertThat(((ChunkServerException) absent).status()).isEqualTo(404);
    }

    @Test
    void aMissingChunkIsA404() throws Exception {
        ChunkServerException e = ChunkClient.unwrap(server,
                client.get(server, ChunkId.random()).handle((bytes, error) -> error).get(30, TimeUnit.SECONDS));

        assertThat(e.status()).isEqualTo(404);
        assertThat(e.unreachable()).isFalse();
    }
}
