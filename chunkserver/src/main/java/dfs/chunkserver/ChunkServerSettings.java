package dfs.chunkserver;

import dfs.chunkserver.http.ChunkHttpServer;
import dfs.chunkserver.store.ChunkStore;
import dfs.chunkserver.store.ScrubPolicy;
import dfs.common.config.ClusterSecret;
import dfs.common.tls.ClusterTls;
import dfs.common.wire.NodeId;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * Everything a {@link ChunkServer} needs to start. Immutable; validated when built.
 *
 * @param storageDir the storage root (created if absent)
 * @param bindAddress address the HTTPS connector listens on
 * @param port TCP port, 0 for any free one
 * @param sslContext cluster TLS context ({@code ClusterTls.sslContext()})
 * @param clusterFingerprint {@code ClusterTls.fingerprint()}, announced by mDNS
 * @param announceAddress IPv4 address to announce on by mDNS; empty for no announcement
 * @param idleTimeout idle time after which a connection, and an upload stalled on it, is cut
 * @param scrub pace of the background integrity checks ({@link ScrubPolicy#DEFAULT} unless told)
 * @param reserveBytes free space a stored chunk must leave on the storage's file system
 *     ({@link ChunkStore#DEFAULT_RESERVE_BYTES} unless told)
 */
public record ChunkServerSettings(Path storageDir, InetAddress bindAddress, int port, SSLContext sslContext,
        String clusterFingerprint, Optional<InetAddress> announceAddress, Duration idleTimeout, ScrubPolicy scrub,
        long reserveBytes) {
    public ChunkServerSettings {
        Objects.requireNonNull(storageDir, "storageDir");
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(sslContext, "sslContext");
        Objects.requireNonNull(clusterFingerprint, "clusterFingerprint");
        Objects.requireNonNull(announceAddress, "announceAddress");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(scrub, "scrub");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("chunk server port " + port + " is not in 0..65535");
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("chunk server idle timeout must be positive, got " + idleTimeout);
        }
        if (reserveBytes < 0) {
            throw new IllegalArgumentException("chunk server reserve must not be negative, got " + reserveBytes);
        }
    }

    /** Settings with the default scrub policy and reserve. */
    public ChunkServerSettings(Path storageDir, InetAddress bindAddress, int port, SSLContext sslContext,
            String clusterFingerprint, Optional<InetAddress> announceAddress, Duration idleTimeout) {
        this(storageDir, bindAddress, port, sslContext, clusterFingerprint, announceAddress, idleTimeout,
                ScrubPolicy.DEFAULT, ChunkStore.DEFAULT_RESERVE_BYTES);
    }

    /** Settings with the default idle timeout ({@link ChunkHttpServer#DEFAULT_IDLE_TIMEOUT}), scrub policy and reserve. */
    public ChunkServerSettings(Path storageDir, InetAddress bindAddress, int port, SSLContext sslContext,
            String clusterFingerprint, Optional<InetAddress> announceAddress) {
        this(storageDir, bindAddress, port, sslContext, clusterFingerprint, announceAddress,
                ChunkHttpServer.DEFAULT_IDLE_TIMEOUT);
    }

    /** These settings with another scrub policy. */
    public ChunkServerSettings withScrub(ScrubPolicy policy) {
        return new ChunkServerSettings(storageDir, bindAddress, port, sslContext, clusterFingerprint,
                announceAddress, idleTimeout, policy, reserveBytes);
    }

    /** These settings keeping {@code bytes} free on the storage's file system. */
    public ChunkServerSettings withReserve(long bytes) {
        return new ChunkServerSettings(storageDir, bindAddress, port, sslContext, clusterFingerprint,
                announceAddress, idleTimeout, scrub, bytes);
    }

    /**
     * Settings for a member of the cluster of {@code secret}: the TLS identity is issued under the
     * cluster CA with this server's node id (created on first start) as its name, so the master
     * can check that the node a server reports is the one its certificate names.
     */
    public static ChunkServerSettings forCluster(Path storageDir, InetAddress bindAddress, int port,
            ClusterSecret secret, Optional<InetAddress> announceAddress) throws IOException {
        NodeId node = ChunkStore.nodeIdAt(storageDir);
        List<InetAddress> names = bindAddress.isAnyLocalAddress() ? List.of() : List.of(bindAddress);
        ClusterTls tls = ClusterTls.create(secret, node.hex(), names);
        return new ChunkServerSettings(storageDir, bindAddress, port, tls.sslContext(), tls.fingerprint(),
                announceAddress);
    }
}
