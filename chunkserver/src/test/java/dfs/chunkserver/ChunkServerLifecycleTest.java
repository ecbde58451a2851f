package dfs.chunkserver;

import static dfs.chunkserver.ChunkServerHttpTest.bytes;
import static dfs.chunkserver.ChunkServerHttpTest.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dfs.chunkserver.store.ChunkStore;
import dfs.chunkserver.store.OpenChunk;
import dfs.chunkserver.store.StorageInUseException;
import dfs.common.testing.TestTls;
import dfs.common.tls.ClusterTls;
import dfs.common.wire.ChunkId;
import dfs.common.wire.NodeId;
import dfs.common.wire.Protocol;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting, stopping and restarting a chunk server; connections it must cut. */
class ChunkServerLifecycleTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path storage;

    private final ClusterTls tls = TestTls.member(TestTls.newCluster(), "chunk-server");

    @Test
    void restartedServerKeepsItsIdentityAndChunks() throws Exception {
        byte[] data = bytes(5000, 1);
        ChunkId id = ChunkId.random();
        NodeId before;
        try (ChunkServer server = start(ChunkHttpDefaults.IDLE)) {
            before = server.nodeId();
            server.store().put(id, sha256(data), data.length, new ByteArrayInputStream(data));
        }

        try (ChunkServer again = start(ChunkHttpDefaults.IDLE)) {
            assertThat(again.nodeId()).isEqualTo(before);
            try (OpenChunk chunk = again.store().open(id).orElseThrow()) {
                assertThat(chunk.payloadStream().readAllBytes()).isEqualTo(data);
            }
        }
    }

    @Test
    void nodeIdCanBeLearntBeforeTheServerStarts() throws Exception {
        NodeId early = ChunkStore.nodeIdAt(storage);

        try (ChunkServer server = start(ChunkHttpDefaults.IDLE)) {
            assertThat(server.nodeId()).isEqualTo(early);
        }
    }

    @Test
    void closedServerNoLongerAcceptsConnections() throws Exception {
        ChunkServer server = start(ChunkHttpDefaults.IDLE);
        int port = server.port();

        server.close();

        assertThatThrownBy(() -> new Socket(LOOPBACK, port).close()).isInstanceOf(ConnectException.class);
    }

    @Test
    void closeIsIdempotent() throws Exception {
        ChunkServer server = start(ChunkHttpDefaults.IDLE);
        server.close();

        server.close();
    }

    @Test
    void portAlreadyInUseFailsTheStartNamingIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, LOOPBACK)) {
            int port = taken.getLocalPort();

            assertThatThrownBy(() -> ChunkServer.start(new ChunkServerSettings(storage, LOOPBACK, port,
                    tls.sslContext(), tls.fingerprint(), Optional.empty())))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(Integer.toString(port));
        }
        try (ChunkServer server = start(ChunkHttpDefaults.IDLE)) {
            assertThat(server.port()).as("the failed start freed the folder").isPositive();
        }
    }

    @Test
    void aSecondServerOnAFolderInUseIsRefusedAndTouchesNothing() throws Exception {
        byte[] data = bytes(5000, 3);
        ChunkId id = ChunkId.random();
        try (ChunkServer first = start(ChunkHttpDefaults.IDLE)) {
            Path inFlight = Files.writeString(storage.resolve("tmp").resolve(id.hex() + ".1.tmp"), "arriving");

            assertThatThrownBy(() -> start(ChunkHttpDefaults.IDLE))
                    .isInstanceOf(StorageInUseException.class)
                    .hasMessageContaining(storage.toString())
                    .hasMessageContaining("in use by another chunk server")
                    .hasMessageContaining("--dir");

            assertThat(inFlight).as("the first server's write in progress").exists();
            first.store().put(id, sha256(data), data.length, new ByteArrayInputStream(data));
            assertThat(first.store().open(id)).isPresent();
        }
        try (ChunkServer again = start(ChunkHttpDefaults.IDLE)) {
            assertThat(again.store().open(id)).as("a stopped server frees its folder").isPresent();
        }
    }

    @Test
    void abandonedUploadIsCutAndItsPartialFileRemoved() throws Exception {
        ChunkId id = ChunkId.random();
        try (ChunkServer server = start(Duration.ofSeconds(2));
                Socket socket = RawHttp.tls(tls.sslContext(), server.port())) {
            RawHttp.send(socket, "PUT " + Protocol.chunkPath(id) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + Protocol.SHA256_HEADER + ": " + sha256(bytes(100_000, 2)) + "\r\nContent-Length: 100000",
                    bytes(1000, 2));
            awaitCondition("the upload to be staged in tmp/", () -> !tmpFiles().isEmpty());

            readUntilClosed(socket); // the server cuts the stalled connection

            awaitCondition("the partial upload to be removed", () -> tmpFiles().isEmpty());
            assertThat(server.store().open(id)).isEmpty();
        }
    }

    private ChunkServer start(Duration idleTimeout) throws IOException {
        return ChunkServer.start(new ChunkServerSettings(storage, LOOPBACK, 0, tls.sslContext(),
                tls.fingerprint(), Optional.empty(), idleTimeout));
    }

    private List<Path> tmpFiles() {
        try (Stream<Path> files = Files.list(storage.resolve("tmp"))) {
            return files.toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void readUntilClosed(Socket socket) {
        try {
            RawHttp.readToEnd(socket);
        } catch (IOException e) {
            // a reset also means the server cut the connection
        }
    }

    static void awaitCondition(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("gave up waiting for " + what);
            }
            Thread.sleep(10); // polling interval, not a timing assumption
        }
    }

    /** Idle timeouts for servers whose tests do not depend on one. */
    private static final class ChunkHttpDefaults {
        static final Duration IDLE = Duration.ofSeconds(30);
    }
}
