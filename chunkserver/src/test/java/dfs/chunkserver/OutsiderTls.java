package dfs.chunkserver;

import dfs.common.tls.ClusterTls;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * TLS contexts of clients outside the cluster that nonetheless trust the cluster's CA, so that
 * when their connection fails it is the server that refused them, not the client the server.
 */
public final class OutsiderTls {
    private OutsiderTls() {}

    /** Trusts the cluster CA but presents no certificate at all. */
    public static SSLContext withoutCertificate(ClusterTls cluster) throws Exception {
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(null, trustingCluster(cluster).getTrustManagers(), new SecureRandom());
        return context;
    }

    /** Trusts the cluster CA and presents a self-signed certificate that no cluster CA issued. */
    public static SSLContext withSelfSignedCertificate(ClusterTls cluster) throws Exception {
        return withSelfSignedCertificate(cluster, "intruder");
    }

    /** As {@link #withSelfSignedCertificate(ClusterTls)}, with {@code commonName} as subject (and issuer). */
    public static SSLContext withSelfSignedCertificate(ClusterTls cluster, String commonName) throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = gen.generateKeyPair();
        X500Name name = new X500Name("CN=" + commonName);
        Instant now = Instant.now();
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))),
                        name, keys.getPublic())
                        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("intruder", keys.getPrivate(), new char[0], new Certificate[] {cert});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, new char[0]);
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(kmf.getKeyManagers(), trustingCluster(cluster).getTrustManagers(), new SecureRandom());
        return context;
    }

    private static TrustManagerFactory trustingCluster(ClusterTls cluster) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("cluster-ca", cluster.caCertificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        return tmf;
    }
}
