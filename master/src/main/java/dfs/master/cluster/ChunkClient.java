package dfs.master.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dfs.common.crypto.Sha256;
import dfs.common.http.ClusterHttpClient;
import dfs.common.json.Json;
import dfs.common.tls.ClusterTls;
import dfs.common.wire.ChunkDeletion;
import dfs.common.wire.ChunkId;
import dfs.common.wire.ChunkListing;
import dfs.common.wire.ErrorBody;
import dfs.common.wire.ForwardHop;
import dfs.common.wire.HealthReport;
import dfs.common.wire.MasterId;
import dfs.common.wire.Protocol;
import dfs.common.wire.StoredChunk;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.IntFunction;
import org.apache.hc.client5.http.classic.methods.HttpDelete;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpHead;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpPut;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;

/**
 * The master's HTTPS client for the chunk protocol ({@link Protocol}), over mutual TLS with the
 * cluster identity. One instance serves every server; it is thread-safe and holds a connection
 * pool, so callers share one, and close it when done. The asynchronous calls run their blocking
 * exchange on the executor given at construction; every exchange has a deadline.
 */
public final class ChunkClient implements AutoCloseable {
    private static final ObjectMapper JSON = Json.mapper();
    /** Error answers are one short JSON line; more is not read. */
    private static final int ERROR_BODY_LIMIT = 64 * 1024;
    /** Time a deletion request is given per chunk, beyond the request timeout. */
    static final long DELETE_MILLIS_PER_CHUNK = 20;

    private final ClusterHttpClient transport;
    private final Executor executor;
    private final Duration requestTimeout;

    /**
     * @param requestTimeout deadline of one whole exchange, request and answer
     * @param executor runs the blocking exchanges of {@link #put} and {@link #get}
     */
    public ChunkClient(ClusterTls tls, Duration requestTimeout, Executor executor) {
        this.transport = new ClusterHttpClient(tls.sslContext(), requestTimeout);
        this.requestTimeout = requestTimeout;
        this.executor = executor;
    }

    /** Health of a server, checking that the certificate it presented names the node it reports. */
    public HealthReport health(InetSocketAddress server, Duration timeout) throws ChunkServerException {
        return exchange(server, new HttpGet(uri(server, Protocol.HEALTH_PATH)), timeout, (r, context) -> {
            HealthReport report = parse(server, r, HealthReport.class, "GET " + Protocol.HEALTH_PATH);
            Optional<String> cn = Optional.ofNullable(context.getSSLSession()).flatMap(ClusterTls::peerCommonName);
            if (cn.isEmpty() || !cn.get().equals(report.node().hex())) {
                throw new ChunkServerException(server, r.getCode(), "identity_mismatch", format(server)
                        + " reports node " + report.node() + " but its certificate names " + cn.orElse("nobody"), null);
            }
            return report;
        });
    }

    /**
     * Stores a chunk whose SHA-256 the caller has checked (a repair's copy); the server hashes it
     * again on arrival. Completes exceptionally with {@link ChunkServerException}.
     */
    public CompletableFuture<StoredChunk> put(InetSocketAddress server, ChunkId id, byte[] sealed, String sha256) {
        return put(server, id, sealed, sha256, null, List.of());
    }

    /**
     * Stores a chunk an upload sealed on {@code server}, which checks it against the CRC-32C and
     * passes it on along {@code forward} ({@link Protocol#FORWARD_HEADER}); the answer's
     * {@link StoredChunk#forwardedTo()} says which of those hold it too. Completes exceptionally
     * with {@link ChunkServerException} when {@code server} itself did not store it.
     */
    public CompletableFuture<StoredChunk> put(InetSocketAddress server, SealedChunk chunk, List<ForwardHop> forward) {
        return put(server, chunk.id(), chunk.bytes(), chunk.sha256(), chunk.crc32c(), forward);
    }

    private CompletableFuture<StoredChunk> put(InetSocketAddress server, ChunkId id, byte[] sealed, String sha256,
            String crc32c, List<ForwardHop> forward) {
        return async(server, () -> {
            HttpPut req = new HttpPut(uri(server, Protocol.chunkPath(id)));
            req.setHeader(Protocol.SHA256_HEADER, sha256);
            if (crc32c != null) {
                req.setHeader(Protocol.CRC32C_HEADER, crc32c);
            }
            if (!forward.isEmpty()) {
                req.setHeader(Protocol.FORWARD_HEADER, ForwardHop.format(forward));
            }
            req.setEntity(new ByteArrayEntity(sealed, ContentType.APPLICATION_OCTET_STREAM));
            return exchange(server, req, (r, context) -> {
                StoredChunk stored = parse(server, r, StoredChunk.class, "storing chunk " + id);
                if (!stored.id().equals(id) || !stored.sha256().equals(sha256) || stored.size() != sealed.length) {
                    throw new ChunkServerException(server, r.getCode(), "bad_ack",
                            format(server) + " acknowledged chunk " + id + " with another id, size or hash", null);
                }
                return stored;
            });
        });
    }

    /**
     * What a server holds under {@code id} (HEAD: its size and recorded hash), without fetching it,
     * once the server has re-hashed the stored bytes ({@link Protocol#VERIFY_QUERY}): fails with
     * status 404 when absent, 409 when they do not match the recorded hash.
     */
    public CompletableFuture<StoredChunk> verifiedStat(InetSocketAddress server, ChunkId id) {
        HttpHead head = new HttpHead(uri(server, Protocol.chunkPath(id) + "?" + Protocol.VERIFY_QUERY + "=sha256"));
        return async(server, () -> exchange(server, head, (r, context) -> {
            if (r.getCode() != 200) {
                throw new ChunkServerException(server, r.getCode(), r.getCode() == 404 ? "chunk_not_found"
                        : r.getCode() == 409 ? "corrupt_chunk" : "http_" + r.getCode(), format(server)
                        + " answered HEAD of chunk " + id + " with HTTP " + r.getCode(), null);
            }
            Header length = r.getFirstHeader(HttpHeaders.CONTENT_LENGTH);
            Header sha256 = r.getFirstHeader(Protocol.SHA256_HEADER);
            try {
                return new StoredChunk(id, Long.parseLong(length.getValue()), sha256.getValue());
            } catch (RuntimeException e) {
                throw new ChunkServerException(server, r.getCode(), "bad_response", format(server)
                        + " answered HEAD of chunk " + id + " without a valid length and hash", e);
            }
        }));
    }

    /**
     * Fetches a chunk's stored bytes, in one array of the length the server announced; the caller
     * verifies them against the metadata. An answer without a length, or announcing more than a
     * chunk can have, is refused before its body is read.
     */
    public CompletableFuture<byte[]> get(InetSocketAddress server, ChunkId id) {
        return get(server, id, byte[]::new);
    }

    /**
     * As {@link #get(InetSocketAddress, ChunkId)}, into an array from {@code buffers}, which is
     * given the announced length and returns an array of exactly that length (a reused one, say).
     */
    public CompletableFuture<byte[]> get(InetSocketAddress server, ChunkId id, IntFunction<byte[]> buffers) {
        return async(server, () -> exchange(server, new HttpGet(uri(server, Protocol.chunkPath(id))),
                (r, context) -> {
                    if (r.getCode() != 200) {
                        throw failure(server, r, "fetching chunk " + id);
                    }
                    String refusal = ByteBodies.refusal(r.getEntity());
                    if (refusal != null) {
                        throw new ChunkServerException(server, r.getCode(), "bad_response", format(server)
                                + " answered chunk " + id + " " + refusal + "; is it a dfs chunk server?", null);
                    }
                    return ByteBodies.exactly(r.getEntity(), buffers);
                }));
    }

    /**
     * Stores the master's sealed metadata copy on {@code server}, replacing the one it held, marked
     * as sent by the master {@code from}; the deadline allows for the copy's size at a slow 1 MiB/s.
     */
    public CompletableFuture<Void> putMetadataCopy(InetSocketAddress server, byte[] sealed, MasterId from) {
        return async(server, () -> {
            HttpPut req = new HttpPut(uri(server, Protocol.METADATA_COPY_PATH));
            req.setHeader(Protocol.MASTER_ID_HEADER, from.hex());
            req.setEntity(new ByteArrayEntity(sealed, ContentType.APPLICATION_OCTET_STREAM));
            return exchange(server, req, requestTimeout.plusMillis(sealed.length / 1024 * 1000 / 1024), (r, context) -> {
                if (r.getCode() / 100 != 2) {
                    throw failure(server, r, "storing the metadata copy");
                }
                return null;
            });
        });
    }

    /**
     * A metadata copy a server holds, as its HEAD tells.
     *
     * @param from the master that sent it; empty when it did not say (a master of an earlier version)
     */
    public record HeldCopy(Optional<MasterId> from) {}

    /** The metadata copy {@code server} holds, without fetching it (HEAD); empty when it holds none. */
    public Optional<HeldCopy> metadataCopyHeld(InetSocketAddress server) throws ChunkServerException {
        return exchange(server, new HttpHead(uri(server, Protocol.METADATA_COPY_PATH)), (r, context) -> {
            if (r.getCode() == 404) {
                return Optional.empty();
            }
            if (r.getCode() == 200) {
                Header from = r.getFirstHeader(Protocol.MASTER_ID_HEADER);
                return Optional.of(new HeldCopy(Optional.ofNullable(from).map(Header::getValue)
                        .filter(MasterId::isValid).map(MasterId::parse)));
            }
            throw new ChunkServerException(server, r.getCode(), "http_" + r.getCode(), format(server)
                    + " answered HEAD of its metadata copy with HTTP " + r.getCode(), null);
        });
    }

    /** The metadata copy {@code server} holds, as it holds it; empty when it holds none. */
    public Optional<byte[]> metadataCopy(InetSocketAddress server) throws ChunkServerException {
        HttpGet get = new HttpGet(uri(server, Protocol.METADATA_COPY_PATH));
        return exchange(server, get, requestTimeout.multipliedBy(4), (r, context) -> {
            if (r.getCode() == 404) {
                return Optional.empty();
            }
            if (r.getCode() != 200) {
                throw failure(server, r, "fetching its metadata copy");
            }
            String refusal = ByteBodies.refusal(r.getEntity(), Protocol.MAX_METADATA_COPY_BYTES, "a metadata copy");
            if (refusal != null) {
                throw new ChunkServerException(server, r.getCode(), "bad_response", format(server)
                        + " answered its metadata copy " + refusal, null);
            }
            return Optional.of(ByteBodies.exactly(r.getEntity(), byte[]::new));
        });
    }

    /** Deletes a chunk; false when the server did not have it. */
    public boolean delete(InetSocketAddress server, ChunkId id) throws ChunkServerException {
        return exchange(server, new HttpDelete(uri(server, Protocol.chunkPath(id))), (r, context) -> {
            if (r.getCode() == 204 || r.getCode() == 200) {
                return true;
            }
            if (r.getCode() == 404) {
                return false;
            }
            throw failure(server, r, "deleting chunk " + id);
        });
    }

    /**
     * Deletes many chunks in one request ({@link ChunkDeletion}); empty when the server is of a
     * version without that request (it answers 404), and the chunks are then to be deleted one by one.
     * The deadline allows {@value #DELETE_MILLIS_PER_CHUNK} ms per chunk beyond the request timeout:
     * the file system's unlink of a 4 MiB chunk file took 5 ms on the development machine's disk.
     */
    public Optional<ChunkDeletion.Result> deleteAll(InetSocketAddress server, List<ChunkId> ids)
            throws ChunkServerException {
        HttpPost post = new HttpPost(uri(server, Protocol.CHUNK_DELETIONS_PATH));
        try {
            post.setEntity(new ByteArrayEntity(JSON.writeValueAsBytes(new ChunkDeletion(ids)),
                    ContentType.APPLICATION_JSON));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("chunk ids always serialize", e);
        }
        Duration deadline = requestTimeout.plusMillis(DELETE_MILLIS_PER_CHUNK * ids.size());
        return exchange(server, post, deadline, (r, context) -> r.getCode() == 404 ? Optional.empty()
                : Optional.of(parse(server, r, ChunkDeletion.Result.class, "deleting " + ids.size() + " chunks")));
    }

    /**
     * Deletes {@code ids} from {@code server}: in requests of up to {@value ChunkDeletion#MAX_IDS}
     * ({@link #deleteAll}), or one by one on a server of a version before that request.
     *
     * @return how many of them the server held and deleted
     */
    public int deleteMany(InetSocketAddress server, List<ChunkId> ids) throws ChunkServerException {
        int deleted = 0;
        for (int from = 0; from < ids.size(); from += ChunkDeletion.MAX_IDS) {
            List<ChunkId> some = ids.subList(from, Math.min(ids.size(), from + ChunkDeletion.MAX_IDS));
            Optional<ChunkDeletion.Result> result = deleteAll(server, some);
            if (result.isPresent()) {
                deleted += result.get().deleted();
            } else {
                for (ChunkId id : some) {
                    deleted += delete(server, id) ? 1 : 0;
                }
            }
        }
        return deleted;
    }

    /**
     * Marks {@code server} drained ({@link Protocol#DRAINING_PATH}), or with {@code drained} false
     * takes the mark away: while it is set, the server's health report says so, and no master
     * places new copies on it.
     */
    public void markDraining(InetSocketAddress server, boolean drained) throws ChunkServerException {
        HttpUriRequestBase request = drained ? new HttpPut(uri(server, Protocol.DRAINING_PATH))
                : new HttpDelete(uri(server, Protocol.DRAINING_PATH));
        exchange(server, request, (r, context) -> {
            if (r.getCode() / 100 != 2) {
                throw failure(server, r, drained ? "marking it drained" : "taking its drained mark away");
            }
            return null;
        });
    }

    /** Every chunk the server holds. */
    public ChunkListing list(InetSocketAddress server) throws ChunkServerException {
        return exchange(server, new HttpGet(uri(server, Protocol.CHUNKS_PATH)),
                (r, context) -> parse(server, r, ChunkListing.class, "GET " + Protocol.CHUNKS_PATH));
    }

    private <T> T exchange(InetSocketAddress server, HttpUriRequestBase request, ClusterHttpClient.Reader<T> reader)
            throws ChunkServerException {
        return exchange(server, request, requestTimeout, reader);
    }

    private <T> T exchange(InetSocketAddress server, HttpUriRequestBase request, Duration deadline,
            ClusterHttpClient.Reader<T> reader) throws ChunkServerException {
        try {
            return transport.exchange(request, deadline, reader);
        } catch (IOException | RuntimeException e) {
            throw unwrap(server, e);
        }
    }

    /** Sha-256 check of fetched bytes against what the metadata recorded. */
    public static boolean matches(byte[] data, String sha256) {
        return Sha256.hex(data).equals(sha256);
    }

    static URI uri(InetSocketAddress server, String path) {
        return URI.create("https://" + format(server) + path);
    }

    /** {@code host:port}, with IPv6 hosts in brackets: how addresses appear in every message. */
    public static String format(InetSocketAddress server) {
        String host = server.getHostString();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + server.getPort();
    }

    /** Closes every pooled connection; exchanges still running fail. */
    @Override
    public void close() {
        transport.close();
    }

    /** One blocking exchange, run on the executor. */
    @FunctionalInterface
    private interface Call<T> {
        T run() throws ChunkServerException;
    }

    private <T> CompletableFuture<T> async(InetSocketAddress server, Call<T> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    result.complete(call.run());
                } catch (ChunkServerException | RuntimeException e) {
                    result.completeExceptionally(unwrap(server, e));
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(unwrap(server, e));
        }
        return result;
    }

    /** Turns any failure of an exchange into a {@link ChunkServerException}. */
    public static ChunkServerException unwrap(InetSocketAddress server, Throwable e) {
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof ChunkServerException cse) {
            return cse;
        }
        return new ChunkServerException(server, 0, "unreachable", "chunk server " + format(server) + " unreachable: "
                + ClusterHttpClient.reason(e), e);
    }

    /** The JSON answer of a 2xx status; an error answer otherwise. */
    private static <T> T parse(InetSocketAddress server, ClassicHttpResponse r, Class<T> type, String doing)
            throws IOException {
        if (r.getCode() / 100 != 2) {
            throw failure(server, r, doing);
        }
        try (InputStream body = r.getEntity() == null ? InputStream.nullInputStream() : r.getEntity().getContent()) {
            return JSON.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw new ChunkServerException(server, r.getCode(), "bad_response",
                    format(server) + " answered " + doing + " with malformed JSON", e);
        }
    }

    private static ChunkServerException failure(InetSocketAddress server, ClassicHttpResponse r, String doing) {
        String code = "http_" + r.getCode();
        String message = "";
        try {
            ErrorBody body = JSON.readValue(ByteBodies.upTo(r.getEntity(), ERROR_BODY_LIMIT), ErrorBody.class);
            code = body.error();
            message = ": " + body.message();
        } catch (IOException | RuntimeException ignored) {
            // not an ErrorBody; the status says enough
        }
        return new ChunkServerException(server, r.getCode(), code,
                format(server) + " refused " + doing + " (HTTP " + r.getCode() + ")" + message, null);
    }
}
