package dfs.common.testing;

import dfs.common.config.ClusterSecret;
import dfs.common.tls.ClusterTls;
import java.net.InetAddress;
import java.util.List;

/**
 * Cluster TLS identities for tests: real certificates from a real cluster CA derived from a
 * secret made for the test, exactly as in production.
 */
public final class TestTls {
    private TestTls() {}

    /** A fresh cluster: a new random secret. */
    public static ClusterSecret newCluster() {
        return ClusterSecret.generate();
    }

    /** A member of the cluster of {@code secret}, with the given CN and a 127.0.0.1 SAN. */
    public static ClusterTls member(ClusterSecret secret, String commonName) {
        return ClusterTls.create(secret, commonName, List.of(InetAddress.getLoopbackAddress()));
    }
}
