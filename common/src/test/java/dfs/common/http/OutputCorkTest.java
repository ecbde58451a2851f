package dfs.common.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dfs.common.config.ClusterSecret;
import dfs.common.testing.TestTls;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/** Gathering a body's TLS records into large socket writes, and sending all of it at the end. */
class OutputCorkTest {
    /** The size of a full TLS 1.3 record of AES-GCM on the wire: header, 16 KiB, type, tag. */
    private static final int RECORD = 5 + 16384 + 1 + 16;

    /** The socket end: remembers every write it was given, in order. */
    private static final class Recording extends OutputStream {
        final List<byte[]> writes = new ArrayList<>();

        @Override
        public synchronized void write(int b) {
            writes.add(new byte[] {(byte) b});
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            writes.add(Arrays.copyOfRange(b, off, off + len));
        }

        synchronized byte[] all() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            writes.forEach(out::writeBytes);
            return out.toByteArray();
        }
    }

    /** Bytes that start like a TLS application data record, as the records TLS writes do. */
    private static byte[] random(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        b[0] = 23;
        return b;
    }

    @Test
    void recordsWrittenInsideTheCorkReachTheSocketInBatchesAndAllOfThemAtTheEnd() throws IOException {
        Recording socket = new Recording();
        OutputCork.Batching stream = new OutputCork.Batching(socket);
        byte[] body = random(10 * RECORD + 77);
        for (int off = 0; off < body.length; off += RECORD) {
            body[off] = 23;
        }

        OutputCork.around(() -> {
            for (int off = 0; off < body.length; off += RECORD) {
                stream.write(body, off, Math.min(RECORD, body.length - off));
                stream.flush(); // as TLS does after every record: held back while corked
            }
        });

        assertThat(socket.all()).isEqualTo(body);
        assertThat(socket.writes).hasSize(body.length / OutputCork.BATCH + 1);
        assertThat(socket.writes.subList(0, socket.writes.size() - 1))
                .allSatisfy(w -> assertThat(w).hasSize(OutputCork.BATCH));
    }

    @Test
    void writesOutsideTheCorkGoStraightToTheSocket() throws IOException {
        Recording socket = new Recording();
        OutputCork.Batching stream = new OutputCork.Batching(socket);

        stream.write(random(RECORD));
        stream.write(random(100));

        assertThat(socket.writes).extracting(w -> w.length).containsExactly(RECORD, 100);
    }

    @Test
    void aHandshakeRecordWrittenInsideTheCorkGoesOutAtOnceAfterWhatWasHeld() throws IOException {
        Recording socket = new Recording();
        OutputCork.Batching stream = new OutputCork.Batching(socket);
        byte[] held = random(RECORD);
        byte[] hello = random(300);
        hello[0] = 22;

        OutputCork.around(() -> {
            stream.write(held);
            stream.write(hello);
            assertThat(socket.all()).isEqualTo(concat(held, hello)); // its sender may now wait for an answer
        });

        assertThat(socket.writes).extracting(w -> w.length).containsExactly(RECORD, 300);
    }

    @Test
    void anotherThreadsWriteWhileBytesAreHeldIsSentAfterThem() throws Exception {
        Recording socket = new Recording();
        OutputCork.Batching stream = new OutputCork.Batching(socket);
        byte[] held = random(1000);
        byte[] alert = random(24);
        CountDownLatch written = new CountDownLatch(1);
        CountDownLatch alerted = new CountDownLatch(1);

        CompletableFuture<Void> body = CompletableFuture.runAsync(() -> {
            try {
                OutputCork.around(() -> {
                    stream.write(held);
                    written.countDown();
                    await(alerted);
                });
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        await(written);
        stream.write(alert); // not corked: sends the held bytes first, then its own
        alerted.countDown();
        body.get(30, TimeUnit.SECONDS);

        assertThat(socket.all()).isEqualTo(concat(held, alert));
    }

    @Test
    void aBodyThatFailsStillSendsWhatItWroteAndKeepsItsFailure() {
        Recording socket = new Recording();
        OutputCork.Batching stream = new OutputCork.Batching(socket);
        byte[] part = random(500);

        assertThatThrownBy(() -> OutputCork.around(() -> {
            stream.write(part);
            throw new IOException("source went away");
        })).isInstanceOf(IOException.class).hasMessage("source went away");
        assertThat(socket.all()).isEqualTo(part);
    }

    /**
     * Through real TLS on a ReadAheadSocket, the handshake started by the first write of the body
     * included: the handshake is not held back, and a body ending exactly on a batch boundary
     * arrives whole.
     */
    @Test
    void aBodyOfWholeBatchesOverRealTlsArrivesCompleteAndIsAnswered() throws Exception {
        ClusterSecret cluster = TestTls.newCluster();
        byte[] body = random(16 * OutputCork.BATCH);
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (SSLServerSocket server = (SSLServerSocket) TestTls.member(cluster, "server").sslContext()
                .getServerSocketFactory().createServerSocket(0, 1, loopback)) {
            server.setNeedClientAuth(true);
            CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket peer = (SSLSocket) server.accept()) {
                    byte[] got = new byte[body.length];
                    new DataInputStream(peer.getInputStream()).readFully(got);
                    peer.getOutputStream().write(1); // the answer, sent only once the whole body is in
                    peer.getOutputStream().flush();
                    return got;
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (ReadAheadSocket plain = new ReadAheadSocket(null)) {
                plain.connect(new InetSocketAddress(loopback, server.getLocalPort()), 5000);
                plain.setSoTimeout(10_000);
                try (SSLSocket tls = (SSLSocket) TestTls.member(cluster, "client").sslContext().getSocketFactory()
                        .createSocket(plain, "127.0.0.1", server.getLocalPort(), true)) {
                    OutputStream out = tls.getOutputStream();
                    OutputCork.around(() -> out.write(body));
                    InputStream in = tls.getInputStream();
                    assertThat(in.read()).isEqualTo(1);
                }
            }
            assertThat(received.get(30, TimeUnit.SECONDS)).isEqualTo(body);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
