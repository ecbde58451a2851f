package dfs.chunkserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import dfs.common.config.ClusterSecret;
import dfs.common.testing.TestTls;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link TlsRecordBatching} between two real JDK TLS 1.3 engines of one cluster, in memory. */
class TlsRecordBatchingTest {
    private static final int RECORD = 16 * 1024;
    private static final int BUFFER = BatchedTlsConnectionFactory.BUFFER_BYTES;

    private SSLEngine client;
    private SSLEngine server;
    private final byte[] data = new byte[10 * RECORD + 123];

    @BeforeEach
    void handshake() throws Exception {
        ClusterSecret cluster = TestTls.newCluster();
        client = TestTls.member(cluster, "master").sslContext().createSSLEngine("127.0.0.1", 1);
        client.setUseClientMode(true);
        server = TestTls.member(cluster, "server").sslContext().createSSLEngine();
        server.setUseClientMode(false);
        server.setNeedClientAuth(true);
        SSLParameters p = server.getSSLParameters();
        p.setMaximumPacketSize(BUFFER); // as the chunk server's engines
        server.setSSLParameters(p);
        new Random(9).nextBytes(data);

        // the server's engine wants a whole packet buffer free for each record it writes
        ByteBuffer toServer = ByteBuffer.allocate(4 * BUFFER);
        ByteBuffer toClient = ByteBuffer.allocate(4 * BUFFER);
        ByteBuffer sink = ByteBuffer.allocate(BUFFER);
        client.beginHandshake();
        server.beginHandshake();
        for (int i = 0; i < 100 && !(done(client) && done(server)); i++) {
            step(client, toClient, toServer, sink);
            step(server, toServer, toClient, sink);
        }
        assertThat(done(client) && done(server)).as("handshake finished").isTrue();
    }

    @Test
    void oneUnwrapDecryptsEveryWholeRecordItHasAndKeepsAPartialOneForLater() throws Exception {
        ByteBuffer wire = sent(3 * RECORD);
        int cut = wire.limit() - 100; // the third record arrives only in part
        ByteBuffer arrived = ByteBuffer.allocate(4 * BUFFER).put(wire.duplicate().limit(cut)).flip();
        ByteBuffer plain = ByteBuffer.allocate(BUFFER);

        SSLEngineResult first = TlsRecordBatching.unwrap(server, arrived, plain);

        assertThat(first.getStatus()).isEqualTo(Status.OK);
        assertThat(first.bytesProduced()).as("more than one record in one call").isGreaterThan(RECORD);
        assertThat(arrived.remaining()).as("the partial record, kept").isEqualTo(cut - first.bytesConsumed()).isPositive();

        arrived.compact().put(wire.position(cut)).flip(); // the rest comes in
        SSLEngineResult second = TlsRecordBatching.unwrap(server, arrived, plain);

        assertThat(first.bytesProduced() + second.bytesProduced()).isEqualTo(3 * RECORD);
        assertThat(arrived.hasRemaining()).isFalse();
        assertThat(Arrays.copyOf(plain.array(), plain.position())).isEqualTo(Arrays.copyOf(data, 3 * RECORD));
    }

    @Test
    void aCloseAfterDataIsReportedOnTheNextCallNotLost() throws Exception {
        ByteBuffer wire = ByteBuffer.allocate(4 * BUFFER);
        client.wrap(ByteBuffer.wrap(data, 0, 1000), wire);
        client.closeOutbound();
        client.wrap(ByteBuffer.allocate(0), wire); // close_notify after the data
        wire.flip();
        ByteBuffer plain = ByteBuffer.allocate(BUFFER);

        SSLEngineResult withData = TlsRecordBatching.unwrap(server, wire, plain);
        SSLEngineResult after = TlsRecordBatching.unwrap(server, wire, plain);

        assertThat(withData.bytesProduced()).isEqualTo(1000);
        assertThat(after.getStatus()).isEqualTo(Status.CLOSED);
        assertThat(server.isInboundDone()).isTrue();
    }

    /** The first {@code length} bytes of the data as the client sends them: whole records. */
    private ByteBuffer sent(int length) throws Exception {
        ByteBuffer wire = ByteBuffer.allocate(4 * BUFFER);
        ByteBuffer source = ByteBuffer.wrap(data, 0, length);
        while (source.hasRemaining()) {
            assertThat(client.wrap(source, wire).getStatus()).isEqualTo(Status.OK);
        }
        return wire.flip();
    }

    private static boolean done(SSLEngine e) {
        HandshakeStatus s = e.getHandshakeStatus();
        return s == HandshakeStatus.NOT_HANDSHAKING || s == HandshakeStatus.FINISHED;
    }

    /** Lets {@code engine} read what reached it, run its tasks and write what it has to say. */
    private static void step(SSLEngine engine, ByteBuffer in, ByteBuffer out, ByteBuffer sink) throws Exception {
        in.flip();
        while (in.hasRemaining()) {
            SSLEngineResult r = engine.unwrap(in, sink.clear());
            runTasks(engine);
            if (r.getStatus() != Status.OK || r.bytesConsumed() == 0) {
                break;
            }
        }
        in.compact();
        while (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
            SSLEngineResult r = engine.wrap(ByteBuffer.allocate(0), out);
            runTasks(engine);
            if (r.getStatus() != Status.OK) {
                throw new AssertionError("handshake failed: " + r);
            }
        }
    }

    private static void runTasks(SSLEngine engine) {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }
}
