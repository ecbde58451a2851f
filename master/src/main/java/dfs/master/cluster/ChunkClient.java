package dfs.master.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import dfs.common.crypto.Sha256;
import dfs.common.json.Json;
import dfs.common.tls.ClusterTls;
import dfs.common.wire.ChunkId;
import dfs.common.wire.ChunkListing;
import dfs.common.wire.ErrorBody;
import dfs.common.wire.HealthReport;
import dfs.common.wire.Protocol;
import dfs.common.wire.StoredChunk;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The master's HTTPS client for the chunk protocol ({@link Protocol}), over mutual TLS with the
 * cluster identity. One instance serves every server; it is thread-safe and holds a connection
 * pool, so callers share one.
 */
public final class ChunkClient {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = Json.mapper();

    /** Deadline timers; cancelled ones leave the queue at once, so they pin no finished exchange. */
    private static final ScheduledThreadPoolExecutor DEADLINES = deadlineTimer();

    private final HttpClient http;
    private final Duration requestTimeout;

    public ChunkClient(ClusterTls tls, Duration requestTimeout, Executor executor) {
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder()
                .sslContext(tls.sslContext())
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .executor(executor)
                .build();
    }

    /** Health of a server, checking that the certificate it presented names the node it reports. */
    public HealthReport health(InetSocketAddress server, Duration timeout) throws ChunkServerException {
        HttpResponse<byte[]> r = send(server, request(server, Protocol.HEALTH_PATH).timeout(timeout).GET().build());
        HealthReport report = parse(server, r, HealthReport.class);
        Optional<String> cn = r.sslSession().flatMap(ClusterTls::peerCommonName);
        if (cn.isEmpty() || !cn.get().equals(report.node().hex())) {
            throw new ChunkServerException(server, r.statusCode(), "identity_mismatch", server
                    + " reports node " + report.node() + " but its certificate names " + cn.orElse("nobody"), null);
        }
        return report;
    }

    /** Stores a sealed chunk; completes exceptionally with {@link ChunkServerException}. */
    public CompletableFuture<StoredChunk> put(InetSocketAddress server, ChunkId id, byte[] sealed, String sha256) {
        HttpRequest req = request(server, Protocol.chunkPath(id))
                .header(Protocol.SHA256_HEADER, sha256)
                .header("Content-Type", "application/octet-stream")
                .PUT(ByteBodies.of(sealed))
                .build();
        return sendAsync(server, req).thenApply(r -> {
            StoredChunk stored = parseUnchecked(server, r, StoredChunk.class);
            if (!stored.id().equals(id) || !stored.sha256().equals(sha256) || stored.size() != sealed.length) {
                throw new CompletionException(new ChunkServerException(server, r.statusCode(), "bad_ack",
                        format(server) + " acknowledged chunk " + id + " with another id, size or hash", null));
            }
            return stored;
        });
    }

    /** Fetches a chunk's stored bytes; the caller verifies them against the metadata. */
    public CompletableFuture<byte[]> get(InetSocketAddress server, ChunkId id) {
        return sendAsync(server, request(server, Protocol.chunkPath(id)).GET().build(), ByteBodies.intoArray()).thenApply(r -> {
            if (r.statusCode() != 200) {
                throw new CompletionException(failure(server, r, "fetching chunk " + id));
            }
            return r.body();
        });
    }

    /** Deletes a chunk; false when the server did not have it. */
    public boolean delete(InetSocketAddress server, ChunkId id) throws ChunkServerException {
        HttpResponse<byte[]> r = send(server, request(server, Protocol.chunkPath(id)).DELETE().build());
        if (r.statusCode() == 204 || r.statusCode() == 200) {
            return true;
        }
        if (r.statusCode() == 404) {
            return false;
        }
        throw failure(server, r, "deleting chunk " + id);
    }

    /** Every chunk the server holds. */
    public ChunkListing list(InetSocketAddress server) throws ChunkServerException {
        return parse(server, send(server, request(server, Protocol.CHUNKS_PATH).GET().build()), ChunkListing.class);
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

    private HttpRequest.Builder request(InetSocketAddress server, String path) {
        return HttpRequest.newBuilder(uri(server, path)).timeout(requestTimeout);
    }

    private HttpResponse<byte[]> send(InetSocketAddress server, HttpRequest req) throws ChunkServerException {
        try {
            return sendAsync(server, req).get();
        } catch (ExecutionException e) {
            throw unwrap(server, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChunkServerException(server, 0, "interrupted", "interrupted while talking to " + format(server), e);
        }
    }

    private CompletableFuture<HttpResponse<byte[]>> sendAsync(InetSocketAddress server, HttpRequest req) {
        return sendAsync(server, req, HttpResponse.BodyHandlers.ofByteArray());
    }

    /**
     * Sends a request with a deadline on the whole exchange. The client's own request timeout only
     * covers waiting for the response headers: a body stalled half-way, as on a host whose cable
     * was pulled, would otherwise be waited for forever. Past the deadline the exchange is
     * cancelled, which closes its connection.
     */
    private CompletableFuture<HttpResponse<byte[]>> sendAsync(InetSocketAddress server, HttpRequest req,
            HttpResponse.BodyHandler<byte[]> body) {
        Duration deadline = req.timeout().orElse(requestTimeout);
        CompletableFuture<HttpResponse<byte[]>> exchange = http.sendAsync(req, body);
        CompletableFuture<HttpResponse<byte[]>> result = new CompletableFuture<>();
        ScheduledFuture<?> timer = DEADLINES.schedule(() -> {
            if (result.completeExceptionally(new HttpTimeoutException("no complete answer within " + deadline))) {
                exchange.cancel(true);
            }
        }, deadline.toMillis(), TimeUnit.MILLISECONDS);
        exchange.whenComplete((r, e) -> {
            // the timer holds the exchange, and through it the chunk's bytes: drop it at once
            timer.cancel(false);
            if (e == null) {
                result.complete(r);
            } else {
                result.completeExceptionally(e);
            }
        });
        return result.exceptionally(e -> {
            throw new CompletionException(unwrap(server, e));
        });
    }

    /** Turns any failure of an exchange into a {@link ChunkServerException}. */
    public static ChunkServerException unwrap(InetSocketAddress server, Throwable e) {
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof ChunkServerException cse) {
            return cse;
        }
        String why;
        if (e instanceof java.net.ConnectException) {
            why = "connection refused";
        } else if (e instanceof HttpTimeoutException) {
            why = "no answer in time";
        } else if (e instanceof javax.net.ssl.SSLHandshakeException) {
            why = "TLS handshake failed (is it a member of this cluster?)";
        } else {
            why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        return new ChunkServerException(server, 0, "unreachable", "chunk server " + format(server) + " unreachable: " + why, e);
    }

    private <T> T parse(InetSocketAddress server, HttpResponse<byte[]> r, Class<T> type) throws ChunkServerException {
        if (r.statusCode() / 100 != 2) {
            throw failure(server, r, "request " + r.request().method() + " " + r.uri().getPath());
        }
        try {
            return JSON.readValue(r.body(), type);
        } catch (IOException e) {
            throw new ChunkServerException(server, r.statusCode(), "bad_response",
                    format(server) + " answered " + r.uri().getPath() + " with malformed JSON", e);
        }
    }

    private <T> T parseUnchecked(InetSocketAddress server, HttpResponse<byte[]> r, Class<T> type) {
        try {
            return parse(server, r, type);
        } catch (ChunkServerException e) {
            throw new CompletionException(e);
        }
    }

    private static ChunkServerException failure(InetSocketAddress server, HttpResponse<byte[]> r, String doing) {
        String code = "http_" + r.statusCode();
        String message = "";
        try {
            ErrorBody body = JSON.readValue(r.body(), ErrorBody.class);
            code = body.error();
            message = ": " + body.message();
        } catch (IOException | RuntimeException ignored) {
            // not an ErrorBody; the status says enough
        }
        return new ChunkServerException(server, r.statusCode(), code,
                format(server) + " refused " + doing + " (HTTP " + r.statusCode() + ")" + message, null);
    }

    private static ScheduledThreadPoolExecutor deadlineTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "dfs-chunk-deadlines");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

}
