package dfs.common.http;

import dfs.common.tls.ClusterTls;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SchemePortResolver;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.DefaultHttpClientConnectionOperator;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.io.HttpClientConnectionOperator;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.client5.http.ssl.NoopHostnameVerifier;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.URIScheme;
import org.apache.hc.core5.http.config.RegistryBuilder;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.ssl.TLS;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.pool.PoolReusePolicy;
import org.apache.hc.core5.reactor.ssl.SSLBufferMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * Blocking HTTPS exchanges with chunk servers (Apache HttpClient 5, classic API) over pooled,
 * kept-alive mutual-TLS connections, each exchange under a deadline: the master's client for
 * every chunk server, and a chunk server's for forwarding replicas to the next. The classic client runs on a
 * plain {@code SSLSocket}: a request body is written from its array in one call, and a large
 * response read goes from the socket stream straight into the caller's array. The socket under
 * TLS reads ahead ({@link ReadAheadSocket}), and a request body leaves it in large writes
 * ({@link OutputCork}).
 *
 * <p>Servers are reached by IP address and identified by their certificate, not by host name, so
 * host names are not verified: trust comes from the cluster CA alone ({@link ClusterTls}).
 * Nothing is retried or redirected: callers fail over to other replicas themselves. No
 * compression is asked for, since chunks are encrypted. Thread-safe.
 */
public final class ClusterHttpClient implements AutoCloseable {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /**
     * Uploads keep 8 chunks in flight (at most 8 copies on one server), downloads 4; healing, fsck
     * and health checks run beside.
     */
    private static final int CONNECTIONS_PER_SERVER = 16;
    private static final int CONNECTIONS_TOTAL = 64;
    /** A connection idle this long is checked before reuse: its server may have closed or gone. */
    private static final TimeValue VALIDATE_AFTER_IDLE = TimeValue.ofSeconds(1);
    /** Below the chunk servers' own idle timeout (30 s), so they seldom close one under a request. */
    private static final TimeValue EVICT_AFTER_IDLE = TimeValue.ofSeconds(20);

    /** Deadline timers; cancelled ones leave the queue at once, so they pin no finished exchange. */
    private static final ScheduledThreadPoolExecutor DEADLINES = deadlineTimer();

    /** Reads one response; runs while the connection is held, and may throw to refuse the answer. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(ClassicHttpResponse response, HttpClientContext context) throws IOException;
    }

    private final CloseableHttpClient http;
    private final RequestConfig defaults;
    private final Duration requestTimeout;

    /**
     * @param tls a cluster TLS context ({@link ClusterTls#sslContext()}): its identity is presented
     *     to every server, and only servers under the cluster CA are trusted
     * @param requestTimeout the deadline of an exchange unless one is given, and the socket read timeout
     */
    public ClusterHttpClient(SSLContext tls, Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
        this.defaults = requestConfig(requestTimeout);
        PoolingHttpClientConnectionManager connections = new ReadAheadConnections()
                .setTlsSocketStrategy(new DefaultClientTlsStrategy(tls, new String[] {TLS.V_1_3.id},
                        ClusterTls.cipherSuites(), SSLBufferMode.STATIC, HostnameVerificationPolicy.CLIENT, NoopHostnameVerifier.INSTANCE))
                .setDefaultTlsConfig(TlsConfig.custom()
                        .setSupportedProtocols(TLS.V_1_3)
                        .setHandshakeTimeout(Timeout.of(CONNECT_TIMEOUT))
                        .setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1)
                        .build())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(CONNECT_TIMEOUT))
                        .setSocketTimeout(Timeout.of(requestTimeout))
                        .setValidateAfterInactivity(VALIDATE_AFTER_IDLE)
                        .build())
                .setDefaultSocketConfig(SocketConfig.custom().setTcpNoDelay(true).build())
                .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.STRICT)
                .setConnPoolPolicy(PoolReusePolicy.LIFO)
                .setMaxConnPerRoute(CONNECTIONS_PER_SERVER)
                .setMaxConnTotal(CONNECTIONS_TOTAL)
                .build();
        this.http = HttpClients.custom()
                .setConnectionManager(connections)
                .setDefaultRequestConfig(defaults)
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableContentCompression()
                // every connection carries the same client certificate: no per-user pooling
                .disableConnectionState()
                .disableDefaultUserAgent()
                .evictExpiredConnections()
                .evictIdleConnections(EVICT_AFTER_IDLE)
                .build();
    }

    /** The pool's connections run on {@link ReadAheadSocket}s. */
    private static final class ReadAheadConnections extends PoolingHttpClientConnectionManagerBuilder {
        @Override
        protected HttpClientConnectionOperator createConnectionOperator(SchemePortResolver ports, DnsResolver dns,
                TlsSocketStrategy tls) {
            return new DefaultHttpClientConnectionOperator(ReadAheadSocket::new, ports, dns,
                    RegistryBuilder.<TlsSocketStrategy>create().register(URIScheme.HTTPS.id, tls).build());
        }
    }

    private static RequestConfig requestConfig(Duration timeout) {
        return RequestConfig.custom()
                .setConnectionRequestTimeout(Timeout.of(timeout))
                .setResponseTimeout(Timeout.of(timeout))
                .setExpectContinueEnabled(false)
                .setRedirectsEnabled(false)
                .setAuthenticationEnabled(false)
                .setContentCompressionEnabled(false)
                .setProtocolUpgradeEnabled(false)
                .build();
    }

    /** As {@link #exchange(HttpUriRequestBase, Duration, Reader)} under the request timeout. */
    public <T> T exchange(HttpUriRequestBase request, Reader<T> reader) throws IOException {
        return exchange(request, requestTimeout, reader);
    }

    /**
     * Sends {@code request} and reads its answer with {@code reader}, all within {@code deadline}.
     * The socket timeout only bounds each read: a body trickling in, or stalled half-way as on a
     * host whose cable was pulled, would otherwise be waited for far longer. Past the deadline
     * the request is aborted, which closes its connection and so ends a read blocked on it.
     * A connection whose answer the reader refused is closed too, not kept for another request.
     *
     * @throws SocketTimeoutException when the deadline passed; otherwise what the exchange or the
     *     reader threw
     */
    public <T> T exchange(HttpUriRequestBase request, Duration deadline, Reader<T> reader) throws IOException {
        if (!deadline.equals(requestTimeout)) {
            request.setConfig(requestConfig(deadline));
        }
        if (request.getEntity() != null && !(request.getEntity() instanceof CorkedBody)) {
            request.setEntity(new CorkedBody(request.getEntity()));
        }
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> timer = DEADLINES.schedule(() -> {
            expired.set(true);
            request.cancel();
        }, deadline.toMillis(), TimeUnit.MILLISECONDS);
        HttpClientContext context = HttpClientContext.create();
        try {
            return http.execute(request, context, response -> {
                try {
                    return reader.read(response, context);
                } catch (IOException | RuntimeException e) {
                    request.cancel(); // do not drain, nor reuse, a connection whose answer was refused
                    throw e;
                }
            });
        } catch (IOException | RuntimeException e) {
            if (expired.get()) {
                SocketTimeoutException late = new SocketTimeoutException("no complete answer within " + deadline);
                late.initCause(e);
                throw late;
            }
            throw e;
        } finally {
            // the timer holds the request, and through it the chunk's bytes: drop it at once
            timer.cancel(false);
        }
    }

    /**
     * Why an exchange failed, in words for a message: what connect, TLS and timeout failures
     * mean for a chunk server, the exception's own message otherwise.
     */
    public static String reason(Throwable e) {
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        if (e instanceof InterruptedIOException) { // socket, connect and whole-exchange timeouts
            return "no answer in time";
        }
        if (e instanceof SSLHandshakeException) {
            return "TLS handshake failed (is it a member of this cluster?)";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Closes every connection at once; exchanges still running fail. */
    @Override
    public void close() {
        http.close(CloseMode.IMMEDIATE);
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
