package dfs.master.bench;

import dfs.common.config.ClusterSecret;
import dfs.common.crypto.ChunkSeal;
import dfs.common.crypto.SecretKey256;
import dfs.common.crypto.Sha256;
import dfs.common.tls.ClusterTls;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.CRC32C;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * Measures, one thread each, the rates of the work a transfer is made of, on this machine and
 * with the same code paths: {@link ChunkSeal#sealInto} of 4 MiB chunks, JDK SHA-256 and CRC-32C, one TLS 1.3
 * stream over loopback between two {@link ClusterTls} identities (raw sockets, no HTTP), and 4 MiB
 * file writes each forced to disk, as a chunk server stores a chunk. Each runs for a warm-up (so
 * the JIT has compiled it) and then for the measured time. Not thread-safe; meant to run alone.
 *
 * <p>Nothing here allocates per operation what a transfer reuses: sealing into a new 4 MiB array
 * each time grew the bench's heap by 1.3 GiB, and the first touch of that memory (about 3.5 s per
 * GiB on a VM) was charged to AES-GCM and then to TLS, whose rates came out 40% low.
 */
final class ComponentRates {
    static final int BUFFER = 4 * 1024 * 1024;
    private static final int TLS_WRITE = 64 * 1024;
    private static final String TLS13 = "TLSv1.3";

    private final Duration warmUp;
    private final Duration measured;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final byte[] data = new byte[BUFFER];

    /** The figures of one run. */
    record Figures(Rate aesSeal, Rate sha256, Rate crc32c, Rate tlsReceived, Rate tlsSent, String tlsSuite,
            Rate fsyncWrite) {}

    ComponentRates(Duration warmUp, Duration measured) {
        this.warmUp = warmUp;
        this.measured = measured;
        new SplittableRandom(1).nextBytes(data);
    }

    /** Measures everything; fsync'd writes go to files in {@code dir} (deleted again). */
    Figures measure(Path dir) throws IOException {
        Rate aes = aesSeal();
        Rate sha = sha256();
        Rate crc = crc32c();
        Rate[] tls = new Rate[2];
        String suite = tlsStream(tls);
        Rate fsync = fsyncWrites(dir);
        return new Figures(aes, sha, crc, tls[0], tls[1], suite, fsync);
    }

    @FunctionalInterface
    private interface Op {
        void run() throws IOException;
    }

    /** Runs {@code op} (processing {@code bytesPerOp} each time) for the warm-up, then measures it. */
    private Rate repeat(int bytesPerOp, Op op) throws IOException {
        warm(op);
        long cpu0 = cpu();
        long t0 = System.nanoTime();
        long end = t0 + measured.toNanos();
        long bytes = 0;
        do {
            op.run();
            bytes += bytesPerOp;
        } while (System.nanoTime() < end);
        return new Rate(bytes, System.nanoTime() - t0, cpu() - cpu0);
    }

    private void warm(Op op) throws IOException {
        long end = System.nanoTime() + warmUp.toNanos();
        do {
            op.run();
        } while (System.nanoTime() < end);
    }

    Rate aesSeal() throws IOException {
        SecretKey256 key = SecretKey256.generate();
        byte[] aad = new byte[48];
        byte[] sealed = new byte[ChunkSeal.sealedLength(BUFFER)]; // reused, as uploads reuse theirs
        return repeat(BUFFER, () -> ChunkSeal.sealInto(key, aad, data, 0, BUFFER, sealed));
    }

    Rate sha256() throws IOException {
        MessageDigest md = Sha256.newDigest();
        return repeat(BUFFER, () -> md.digest(data));
    }

    Rate crc32c() throws IOException {
        CRC32C crc = new CRC32C();
        return repeat(BUFFER, () -> {
            crc.reset();
            crc.update(data, 0, BUFFER);
        });
    }

    /**
     * One TLS 1.3 stream over loopback, mutual authentication as in the cluster. The receiver's
     * wall clock gives the stream rate; each side's thread CPU time gives its cost per byte.
     *
     * @param out receives {receiver, sender}
     * @return the negotiated cipher suite
     */
    String tlsStream(Rate[] out) throws IOException {
        ClusterSecret secret = ClusterSecret.generate();
        ClusterTls receiverTls = ClusterTls.create(secret, "bench-receiver", Set.of());
        ClusterTls senderTls = ClusterTls.create(secret, "bench-sender", Set.of());
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        ExecutorService receiverThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "dfs-bench-tls-receiver"));
        try (SSLServerSocket server = (SSLServerSocket) receiverTls.sslContext().getServerSocketFactory()
                .createServerSocket(0, 1, loopback)) {
            server.setNeedClientAuth(true);
            server.setEnabledProtocols(new String[] {TLS13});
            server.setEnabledCipherSuites(ClusterTls.cipherSuites());
            CompletableFuture<Rate> received = CompletableFuture.supplyAsync(() -> receive(server), receiverThread);
            String suite;
            try (SSLSocket socket = (SSLSocket) senderTls.sslContext().getSocketFactory()
                    .createSocket(loopback, server.getLocalPort())) {
                socket.setEnabledProtocols(new String[] {TLS13});
                socket.setEnabledCipherSuites(ClusterTls.cipherSuites());
                socket.startHandshake();
                suite = socket.getSession().getCipherSuite();
                out[1] = send(socket.getOutputStream());
            }
            out[0] = received.get(measured.plus(warmUp).toSeconds() + 30, TimeUnit.SECONDS);
            return suite;
        } catch (ExecutionException e) {
            throw new IOException("the TLS receiver failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("the TLS receiver did not finish", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while measuring TLS");
        } finally {
            receiverThread.shutdownNow();
        }
    }

    private Rate send(OutputStream out) throws IOException {
        long start = System.nanoTime();
        long measureFrom = start + warmUp.toNanos();
        long end = measureFrom + measured.toNanos();
        long t0 = 0;
        long cpu0 = 0;
        long bytes = 0;
        long now;
        while ((now = System.nanoTime()) < end) {
            if (t0 == 0 && now >= measureFrom) {
                t0 = now;
                cpu0 = cpu();
                bytes = 0;
            }
            out.write(data, 0, TLS_WRITE);
            bytes += TLS_WRITE;
        }
        out.flush();
        return new Rate(bytes, System.nanoTime() - t0, cpu() - cpu0);
    }

    private Rate receive(SSLServerSocket server) {
        try (SSLSocket socket = (SSLSocket) server.accept(); InputStream in = socket.getInputStream()) {
            byte[] buf = new byte[TLS_WRITE];
            int n = in.read(buf); // the first bytes: the stream has begun
            long measureFrom = System.nanoTime() + warmUp.toNanos();
            long t0 = 0;
            long cpu0 = 0;
            long bytes = 0;
            while ((n = in.read(buf)) >= 0) {
                if (t0 == 0 && System.nanoTime() >= measureFrom) {
                    t0 = System.nanoTime();
                    cpu0 = cpu();
                    bytes = 0;
                }
                bytes += n;
            }
            return new Rate(bytes, System.nanoTime() - t0, cpu() - cpu0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** New file, 4 MiB written, forced, closed: a chunk server's store of one chunk, minus the rename. */
    Rate fsyncWrites(Path dir) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(data);
        Path file = dir.resolve("fsync-probe.bin");
        long[] spent = new long[2];
        Op op = () -> {
            long cpu0 = cpu();
            long t0 = System.nanoTime();
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                buf.clear();
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            spent[0] += System.nanoTime() - t0;
            spent[1] += cpu() - cpu0;
            Files.delete(file); // outside the timed part: a chunk server keeps its chunks
        };
        warm(op);
        long ops = 0; // the rate counts the timed parts only, not the deletes
        spent[0] = 0;
        spent[1] = 0;
        long end = System.nanoTime() + measured.toNanos();
        do {
            op.run();
            ops++;
        } while (System.nanoTime() < end);
        return new Rate(ops * BUFFER, spent[0], spent[1]);
    }

    private long cpu() {
        return threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : 0;
    }
}
