package dfs.common.tls;

import dfs.common.config.ClusterSecret;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * This process's TLS identity in the cluster: a fresh P-256 key and certificate issued under the
 * cluster CA (derived from the cluster secret), and an {@link SSLContext} that presents it and
 * trusts nothing but certificates from the same CA.
 *
 * <p>The same context serves both ends: chunk servers require client certificates, and clients
 * (the master) accept only servers of their own cluster. A stranger on the LAN without the secret
 * can neither connect to a chunk server nor pose as one. TLS 1.3 only. Immutable and thread-safe.
 */
public final class ClusterTls {
    private static final Duration LEAF_VALIDITY = Duration.ofDays(3650);
    private static final String PROTOCOL = "TLSv1.3";

    /**
     * The TLS 1.3 cipher suites cluster members offer and accept, most preferred first. Chunk bodies
     * cross the wire already sealed with AES-256-GCM under keys only the master holds; TLS adds
     * member authentication and hides requests and answers. AES-128-GCM does that with 10 AES rounds
     * instead of 14, and so with less CPU per byte through TLS on both ends, the largest single cost
     * of an upload (figures in the README's 'Benchmark'). AES-256-GCM stays accepted. ChaCha20 is
     * left out: without AES instructions it would be faster, but every machine this runs on at speed
     * has them, and on Java 17 it runs in plain Java.
     */
    private static final List<String> CIPHER_SUITES = List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384");

    private final SSLContext context;
    private final String fingerprint;
    private final X509Certificate certificate;
    private final X509Certificate caCertificate;

    private ClusterTls(SSLContext context, String fingerprint, X509Certificate certificate, X509Certificate ca) {
        this.context = context;
        this.fingerprint = fingerprint;
        this.certificate = certificate;
        this.caCertificate = ca;
    }

    /**
     * Derives the cluster CA from {@code secret} and issues a fresh leaf certificate under it.
     *
     * @param commonName the leaf's CN: a chunk server's node id, or a name for the master
     * @param addresses IP addresses put in the leaf's subject alternative names (informational)
     */
    public static ClusterTls create(ClusterSecret secret, String commonName, Collection<InetAddress> addresses) {
        ClusterCa ca = ClusterCa.derive(secret);
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair leafKeys = gen.generateKeyPair();
            X509Certificate leaf = issueLeaf(ca, commonName, addresses, leafKeys);

            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("cluster-ca", ca.certificate);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(trust);
            X509TrustManager pkix = (X509TrustManager) tmf.getTrustManagers()[0];

            SSLContext ctx = SSLContext.getInstance(PROTOCOL);
            ctx.init(new KeyManager[] {new LeafKeyManager(leafKeys.getPrivate(), leaf, ca.certificate)},
                    new TrustManager[] {new ClusterTrustManager(pkix)}, new SecureRandom());
            return new ClusterTls(ctx, ca.fingerprint, leaf, ca.certificate);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot set up cluster TLS: " + e.getMessage(), e);
        }
    }

    private static X509Certificate issueLeaf(ClusterCa ca, String commonName, Collection<InetAddress> addresses,
            KeyPair keys) throws GeneralSecurityException {
        Instant now = Instant.now();
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca.name,
                    new BigInteger(127, new SecureRandom()).add(BigInteger.TWO),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(LEAF_VALIDITY)),
                    new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build(), keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                            new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            List<GeneralName> sans = new ArrayList<>();
            for (InetAddress a : addresses) {
                sans.add(new GeneralName(GeneralName.iPAddress, a.getHostAddress()));
            }
            if (!sans.isEmpty()) {
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)));
            }
            return new JcaX509CertificateConverter()
                    .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(ca.privateKey)));
        } catch (org.bouncycastle.operator.OperatorCreationException | org.bouncycastle.cert.CertIOException e) {
            throw new GeneralSecurityException("cannot issue the leaf certificate: " + e.getMessage(), e);
        }
    }

    /** Context for both server and client sockets; servers must also demand client authentication. */
    public SSLContext sslContext() {
        return context;
    }

    /** {@link #CIPHER_SUITES}: to be enabled on every engine and socket made from {@link #sslContext()}. */
    public static String[] cipherSuites() {
        return CIPHER_SUITES.toArray(String[]::new);
    }

    /** Short hex fingerprint of the cluster CA's public key: names the cluster, reveals no secret. */
    public String fingerprint() {
        return fingerprint;
    }

    /** This process's leaf certificate. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** The cluster CA certificate (identical on every machine of the cluster). */
    public X509Certificate caCertificate() {
        return caCertificate;
    }

    /** The CN of the peer's certificate in an established TLS session, if it has one. */
    public static Optional<String> peerCommonName(SSLSession session) {
        try {
            Certificate[] chain = session.getPeerCertificates();
            if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
                return Optional.empty();
            }
            return commonName(leaf.getSubjectX500Principal());
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }

    static Optional<String> commonName(X500Principal principal) {
        var rdns = new X500Name(principal.getName()).getRDNs(BCStyle.CN);
        return rdns.length == 0 ? Optional.empty()
                : Optional.of(IETFUtils.valueToString(rdns[0].getFirst().getValue()));
    }
}
