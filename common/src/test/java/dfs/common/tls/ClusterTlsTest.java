package dfs.common.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dfs.common.config.ClusterSecret;
import dfs.common.testing.TestTls;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

class ClusterTlsTest {
    private final ClusterSecret secret = TestTls.newCluster();

    @Test
    void everyMachineDerivesTheSameCaFromTheSameSecret() throws Exception {
        ClusterTls a = TestTls.member(secret, "a");
        ClusterTls b = TestTls.member(ClusterSecret.parse(secret.encoded()), "b");
        assertThat(a.caCertificate().getEncoded()).isEqualTo(b.caCertificate().getEncoded());
        assertThat(a.fingerprint()).isEqualTo(b.fingerprint()).hasSize(16);
    }

    @Test
    void differentSecretsMakeDifferentClusters() {
        assertThat(TestTls.member(secret, "a").fingerprint())
                .isNotEqualTo(TestTls.member(TestTls.newCluster(), "a").fingerprint());
    }

    @Test
    void membersOfTheSameClusterConnectAndSeeEachOthersName() throws Exception {
        ClusterTls server = TestTls.member(secret, "server-node");
        ClusterTls client = TestTls.member(secret, "the-master");
        Handshake h = handshake(server.sslContext(), client.sslContext());
        assertThat(h.client()).isEqualTo(Optional.of("server-node"));
        assertThat(h.server()).isEqualTo(Optional.of("the-master"));
    }

    @Test
    void serverOfAnotherClusterIsRefusedByTheClient() {
        ClusterTls rogue = TestTls.member(TestTls.newCluster(), "rogue");
        ClusterTls client = TestTls.member(secret, "the-master");
        assertThatThrownBy(() -> handshake(rogue.sslContext(), client.sslContext()))
                .isInstanceOf(SSLException.class);
    }

    @Test
    void clientWithoutAnyCertificateIsRefusedByTheServer() throws Exception {
        ClusterTls server = TestTls.member(secret, "server-node");
        SSLContext anonymous = SSLContext.getInstance("TLSv1.3");
        // trusts the cluster CA, so only the missing client certificate can fail the handshake
        anonymous.init(null, new javax.net.ssl.TrustManager[] {trustOnly(server)}, null);
        assertThatThrownBy(() -> handshake(server.sslContext(), anonymous)).isInstanceOf(IOException.class);
    }

    @Test
    void clientOfAnotherClusterIsRefusedByTheServer() {
        ClusterTls server = TestTls.member(secret, "server-node");
        ClusterTls stranger = TestTls.member(TestTls.newCluster(), "stranger");
        assertThatThrownBy(() -> handshake(server.sslContext(), stranger.sslContext()))
                .isInstanceOf(IOException.class);
    }

    private static javax.net.ssl.X509TrustManager trustOnly(ClusterTls member) throws Exception {
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", member.caCertificate());
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
        tmf.init(ks);
        return (javax.net.ssl.X509TrustManager) tmf.getTrustManagers()[0];
    }

    record Handshake(Optional<String> client, Optional<String> server) {}

    /** Runs one real TLS exchange over loopback; returns the peer names each side saw. */
    private static Handshake handshake(SSLContext serverCtx, SSLContext clientCtx) throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (SSLServerSocket listener = (SSLServerSocket) serverCtx.getServerSocketFactory().createServerSocket(0, 1, lo)) {
            listener.setNeedClientAuth(true);
            CompletableFuture<Optional<String>> serverSide = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                    s.setSoTimeout(10_000);
                    InputStream in = s.getInputStream();
                    int b = in.read();
                    OutputStream out = s.getOutputStream();
                    out.write(b + 1);
                    out.flush();
                    return ClusterTls.peerCommonName(s.getSession());
                } catch (IOException e) {
                    return Optional.<String>empty();
                }
            });
            Optional<String> seenByClient;
            try (SSLSocket c = (SSLSocket) clientCtx.getSocketFactory().createSocket(lo, listener.getLocalPort())) {
                c.setSoTimeout(10_000);
                c.getOutputStream().write(41);
                c.getOutputStream().flush();
                int answer = c.getInputStream().read();
                if (answer != 42) {
                    throw new SSLException("connection closed by the server (answer " + answer + ")");
                }
                seenByClient = ClusterTls.peerCommonName(c.getSession());
            }
            return new Handshake(seenByClient, serverSide.get(10, TimeUnit.SECONDS));
        }
    }
}
