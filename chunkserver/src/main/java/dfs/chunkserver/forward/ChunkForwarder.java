package dfs.chunkserver.forward;

import com.fasterxml.jackson.databind.ObjectMapper;
import dfs.chunkserver.store.ChunkStore;
import dfs.chunkserver.store.PutResult;
import dfs.common.http.ClusterHttpClient;
import dfs.common.json.Json;
import dfs.common.tls.ClusterTls;
import dfs.common.wire.ChunkId;
import dfs.common.wire.ErrorBody;
import dfs.common.wire.ForwardHop;
import dfs.common.wire.NodeId;
import dfs.common.wire.Protocol;
import dfs.common.wire.StoredChunk;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.classic.methods.HttpPut;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.AbstractHttpEntity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores a chunk and, in the same pass over its body, sends it to the next server of a forward
 * chain ({@link Protocol#FORWARD_HEADER}), naming the rest of the chain to it. Each piece of the
 * body read from the sender is written to the store and to the next server before the next piece
 * is read, so a chunk crosses the chain at the pace of its slowest link, without being held
 * whole. The chunk is stored here whatever becomes of the forward: a next server that cannot be
 * reached, refuses, or turns out to be another node only makes the answer list fewer holders,
 * with the reason, and the sender stores the missing replicas itself. A failure to store here is
 * the answer, as without forwarding. Thread-safe.
 */
public final class ChunkForwarder implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChunkForwarder.class);
    private static final ObjectMapper JSON = Json.mapper();
    private static final int ANSWER_LIMIT = 64 * 1024;
    private static final long MIB = 1024 * 1024;
    /** Socket read timeout of a forward; the whole exchange has a deadline by size ({@link #deadline}). */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private final ChunkStore store;
    private final ClusterHttpClient http;

    /** @param tls this server's cluster TLS context: the next server accepts it as a member */
    public ChunkForwarder(ChunkStore store, SSLContext tls) {
        this.store = store;
        this.http = new ClusterHttpClient(tls, READ_TIMEOUT);
    }

    /**
     * The time a forward of {@code bytes} may take: half of what the master allows a whole store
     * (5 s plus 1 s per MiB), so that a stalled next server is cut, and reported as the one at
     * fault, while the sender is still waiting for this server's answer.
     */
    static Duration deadline(long bytes) {
        return Duration.ofMillis(2500 + bytes * 500 / MIB);
    }

    /**
     * As {@link ChunkStore#put}, also passing the chunk to {@code hops.get(0)} with the remaining
     * hops; the answer's {@link StoredChunk#forwardedTo()} lists the hops that stored it.
     *
     * @param crc32c the sender's CRC-32C of the body, checked here and passed on; null when it gave
     *     none, and the SHA-256 is checked instead
     */
    public PutResult put(ChunkId id, String sha256, String crc32c, long length, InputStream body,
            List<ForwardHop> hops) throws IOException {
        ForwardHop next = hops.get(0);
        List<ForwardHop> rest = hops.subList(1, hops.size());
        Tee tee = new Tee(body);
        LocalStore local = new LocalStore(() -> store.put(id, sha256, crc32c, length, tee));
        HttpPut request = new HttpPut(URI.create("https://" + next.address() + Protocol.chunkPath(id)));
        request.setHeader(Protocol.SHA256_HEADER, sha256);
        if (crc32c != null) {
            request.setHeader(Protocol.CRC32C_HEADER, crc32c);
        }
        if (!rest.isEmpty()) {
            request.setHeader(Protocol.FORWARD_HEADER, ForwardHop.format(rest));
        }
        request.setEntity(new StoringBody(length, out -> {
            tee.alsoTo(out);
            local.run();
        }));
        List<NodeId> reached = List.of();
        String failure = null;
        try {
            StoredChunk theirs = http.exchange(request, deadline(length), (r, context) -> answer(next, id, r, context));
            reached = new ArrayList<>(List.of(next.node()));
            reached.addAll(prefixOf(rest, theirs.forwardedTo()));
            failure = theirs.forwardFailure();
        } catch (IOException | RuntimeException e) {
            local.rethrowFailure(); // this server could not store it: that is the answer
            failure = "node " + next.node() + " at " + next.address() + ": " + ClusterHttpClient.reason(tee.failure() != null ? tee.failure() : e);
        }
        local.rethrowFailure();
        // the next server was not reached at all: the body is still unread
        PutResult mine = local.result() != null ? local.result() : store.put(id, sha256, crc32c, length, body);
        if (failure != null) {
            log.warn("chunk {} stored here but not passed on to all of {}: {}", id, ForwardHop.format(hops), failure);
        }
        return new PutResult(mine.chunk().forwarded(reached, failure), mine.existed());
    }

    /** The next server's answer, once it is known to be the node asked for. */
    private static StoredChunk answer(ForwardHop next, ChunkId id, ClassicHttpResponse r, HttpClientContext context)
            throws IOException {
        Optional<String> cn = Optional.ofNullable(context.getSSLSession()).flatMap(ClusterTls::peerCommonName);
        if (cn.isEmpty() || !cn.get().equals(next.node().hex())) {
            throw new IOException("the server there is node " + cn.orElse("(unnamed)") + ", not " + next.node());
        }
        byte[] body = r.getEntity() == null ? new byte[0] : r.getEntity().getContent().readNBytes(ANSWER_LIMIT);
        if (r.getCode() / 100 != 2) {
            String message;
            try {
                message = JSON.readValue(body, ErrorBody.class).message();
            } catch (IOException e) {
                message = "no error message";
            }
            throw new IOException("refused (HTTP " + r.getCode() + "): " + message);
        }
        StoredChunk theirs = JSON.readValue(body, StoredChunk.class);
        if (!theirs.id().equals(id)) {
            throw new IOException("acknowledged chunk " + theirs.id() + " instead of " + id);
        }
        return theirs;
    }

    /** The leading hops of {@code asked} that {@code reported} names, in order. */
    private static List<NodeId> prefixOf(List<ForwardHop> asked, List<NodeId> reported) {
        List<NodeId> prefix = new ArrayList<>();
        for (int i = 0; i < asked.size() && i < reported.size() && asked.get(i).node().equals(reported.get(i)); i++) {
            prefix.add(reported.get(i));
        }
        return prefix;
    }

    @Override
    public void close() {
        http.close();
    }

    /** The store of the chunk here, run while its body is being sent on; keeps its outcome. */
    private static final class LocalStore {
        private final Store store;
        private PutResult result;
        private IOException ioFailure;
        private RuntimeException runtimeFailure;

        LocalStore(Store store) {
            this.store = store;
        }

        /** Stores; on failure rethrows, so the forward is cut too, and keeps the failure. */
        void run() throws IOException {
            try {
                result = store.put();
            } catch (IOException e) {
                ioFailure = e;
                throw e;
            } catch (RuntimeException e) {
                runtimeFailure = e;
                throw e;
            }
        }

        PutResult result() {
            return result;
        }

        void rethrowFailure() throws IOException {
            if (ioFailure != null) {
                throw ioFailure;
            }
            if (runtimeFailure != null) {
                throw runtimeFailure;
            }
        }
    }

    @FunctionalInterface
    private interface Store {
        PutResult put() throws IOException;
    }

    @FunctionalInterface
    private interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    /** A request body of known length written by running {@link LocalStore}; sent once. */
    private static final class StoringBody extends AbstractHttpEntity {
        private final long length;
        private final Writer writer;

        StoringBody(long length, Writer writer) {
            super(ContentType.APPLICATION_OCTET_STREAM, null);
            this.length = length;
            this.writer = writer;
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            writer.writeTo(out);
        }

        @Override
        public InputStream getContent() {
            throw new UnsupportedOperationException("a forwarded chunk is written, not read");
        }

        @Override
        public long getContentLength() {
            return length;
        }

        @Override
        public boolean isRepeatable() {
            return false;
        }

        @Override
        public boolean isStreaming() {
            return true;
        }

        @Override
        public void close() {
            // the body belongs to the request being served
        }
    }

    /**
     * The sender's body, also written to the next server as it is read. A failed write ends the
     * copying, not the reading: the chunk is still stored here.
     */
    private static final class Tee extends InputStream {
        private final InputStream in;
        private OutputStream out;
        private IOException failure;

        Tee(InputStream in) {
            this.in = in;
        }

        void alsoTo(OutputStream next) {
            this.out = next;
        }

        IOException failure() {
            return failure;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0 && out != null && failure == null) {
                try {
                    out.write(b, off, n);
                } catch (IOException e) {
                    failure = e;
                }
            }
            return n;
        }
    }
}
