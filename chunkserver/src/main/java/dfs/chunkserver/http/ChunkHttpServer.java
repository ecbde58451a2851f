package dfs.chunkserver.http;

import dfs.chunkserver.forward.ChunkForwarder;
import dfs.chunkserver.store.ChunkStore;
import dfs.common.tls.ClusterTls;
import dfs.common.wire.Protocol;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.config.JavalinConfig;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The chunk server's HTTPS endpoint: Javalin on Jetty with exactly one connector, TLS with a
 * mandatory client certificate from the cluster CA. There is no plain-HTTP connector at all.
 *
 * <p>Limits: a bounded thread pool and connection count, an idle timeout that cuts stalled or
 * abandoned uploads (their partial file is removed by the store), a minimum upload rate that cuts
 * trickling ones ({@link ChunkHandlers}), bounded request headers, strict URI parsing. Responses are never compressed: chunks are encrypted (incompressible) and a
 * compressed body would contradict its Content-Length.
 *
 * <p>Thread-safe; {@link #close} is idempotent.
 */
public final class ChunkHttpServer implements AutoCloseable {
    /** Idle time after which a connection (and an upload stalled on it) is cut. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);

    private static final int MAX_THREADS = 32;
    private static final int MIN_THREADS = 4;
    /** Connections beyond this wait in the accept backlog instead of piling up in memory. */
    private static final int MAX_CONNECTIONS = 256;
    private static final int MAX_HEADER_BYTES = 8 * 1024;

    private final Javalin app;
    private final ServerConnector connector;
    private final ChunkForwarder forwarder;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ChunkHttpServer(Javalin app, ServerConnector connector, ChunkForwarder forwarder) {
        this.app = app;
        this.connector = connector;
        this.forwarder = forwarder;
    }

    /**
     * Starts serving {@code store} on {@code bindAddress:port} (port 0 picks a free port).
     *
     * @param sslContext the cluster TLS context: presents this server's certificate and trusts
     *     only the cluster CA, which is therefore also the only way in for clients
     * @throws IOException if the address cannot be bound
     */
    public static ChunkHttpServer start(ChunkStore store, InetAddress bindAddress, int port,
            SSLContext sslContext, Duration idleTimeout) throws IOException {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(sslContext, "sslContext");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not in 0..65535");
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idle timeout must be positive, got " + idleTimeout);
        }
        ChunkForwarder forwarder = new ChunkForwarder(store, sslContext);
        ChunkHandlers handlers = new ChunkHandlers(store, forwarder);
        AtomicReference<ServerConnector> connector = new AtomicReference<>();
        Javalin app = Javalin.create(config -> {
            configure(config);
            config.jetty.addConnector((server, http) -> {
                connector.set(tlsConnector(server, http, sslContext, bindAddress, port, idleTimeout));
                return connector.get();
            });
            String chunk = Protocol.CHUNKS_PATH + "/{" + ChunkHandlers.ID_PARAM + "}";
            config.routes.put(chunk, handlers::put);
            config.routes.get(chunk, handlers::get);
            config.routes.head(chunk, handlers::head);
            config.routes.delete(chunk, handlers::delete);
            config.routes.get(Protocol.CHUNKS_PATH, handlers::list);
            config.routes.post(Protocol.CHUNK_DELETIONS_PATH, handlers::deleteMany);
            config.routes.get(Protocol.HEALTH_PATH, handlers::health);
            config.routes.put(Protocol.DRAINING_PATH, handlers::markDraining);
            config.routes.delete(Protocol.DRAINING_PATH, handlers::unmarkDraining);
            config.routes.put(Protocol.METADATA_COPY_PATH, handlers::putMetadataCopy);
            config.routes.get(Protocol.METADATA_COPY_PATH, handlers::getMetadataCopy);
            config.routes.head(Protocol.METADATA_COPY_PATH, handlers::headMetadataCopy);
            // Javalin maps its own HttpResponseExceptions (unknown path, wrong method) with a built-in
            // handler unless this more specific mapping replaces it.
            config.routes.exception(HttpResponseException.class, ErrorAnswers::answer);
            config.routes.exception(Exception.class, ErrorAnswers::answer);
        });
        try {
            app.start();
        } catch (RuntimeException e) {
            app.stop();
            forwarder.close();
            throw new IOException("cannot serve HTTPS on " + bindAddress.getHostAddress() + ":" + port
                    + ": " + e.getMessage(), e);
        }
        return new ChunkHttpServer(app, connector.get(), forwarder);
    }

    private static void configure(JavalinConfig config) {
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.http.compressionStrategy = CompressionStrategy.NONE;
        config.http.prefer405over404 = true;
        config.jsonMapper(new AnswerJson());
        // Bounded threads; the job queue stays unbounded as Jetty requires (its own tasks go there
        // too) and the work it can hold is bounded by the connection limit instead.
        QueuedThreadPool pool = new QueuedThreadPool(MAX_THREADS, MIN_THREADS);
        pool.setName("chunk-http");
        config.jetty.threadPool = pool;
        config.jetty.modifyServer(server -> {
            server.setErrorHandler(new JsonErrorHandler());
            server.addBean(new NetworkConnectionLimit(MAX_CONNECTIONS, server));
        });
        config.jetty.modifyServletContextHandler(context -> context.setErrorHandler(new JsonErrorHandler()));
    }

    private static ServerConnector tlsConnector(Server server, HttpConfiguration base, SSLContext sslContext,
            InetAddress bindAddress, int port, Duration idleTimeout) {
        SslContextFactory.Server tls = new BatchedTlsConnectionFactory.LargePacketsContextFactory();
        tls.setSslContext(sslContext);
        tls.setNeedClientAuth(true);
        tls.setIncludeCipherSuites(ClusterTls.cipherSuites());
        tls.setUseCipherSuitesOrder(true); // the server's order decides
        // Peers are cluster members found by mDNS, identified by certificate, not by host name.
        tls.setEndpointIdentificationAlgorithm(null);

        HttpConfiguration https = new HttpConfiguration(base);
        https.setSecureScheme("https");
        https.setRequestHeaderSize(MAX_HEADER_BYTES);
        https.setResponseHeaderSize(MAX_HEADER_BYTES);
        https.setUriCompliance(UriCompliance.DEFAULT);
        https.setSendServerVersion(false);
        https.setSendXPoweredBy(false);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false); // clients connect by IP address and send no SNI
        https.addCustomizer(secure);

        SslConnectionFactory ssl = new BatchedTlsConnectionFactory(tls, HttpVersion.HTTP_1_1.asString());
        // Encrypted bytes go between socket and TLS engine in direct buffers: with heap buffers the
        // JDK copies every read and write through a temporary direct buffer of its own.
        ssl.setDirectBuffersForEncryption(true);
        ssl.setDirectBuffersForDecryption(true);
        ServerConnector connector = new ServerConnector(server, ssl, new HttpConnectionFactory(https));
        connector.setHost(bindAddress.getHostAddress());
        connector.setPort(port);
        connector.setIdleTimeout(idleTimeout.toMillis());
        return connector;
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** Stops accepting and closes all connections. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                app.stop();
            } finally {
                forwarder.close();
            }
        }
    }
}
