package dfs.common.tls;

import dfs.common.config.ClusterSecret;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.operator.ContentSigner;

/**
 * The cluster's certificate authority, derived deterministically from the cluster secret.
 *
 * <p>Every machine holding the secret derives the same P-256 key (HKDF-SHA256 of the secret) and
 * the same self-signed certificate (fixed names and dates, deterministic ECDSA per RFC 6979), so
 * no CA file has to be distributed and nothing but the secret is shared. A machine without the
 * secret cannot issue a certificate the cluster accepts. Immutable and thread-safe.
 */
final class ClusterCa {
    private static final String CURVE = "secp256r1";
    private static final byte[] HKDF_SALT = "dfs cluster ca".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HKDF_INFO = "v1 p256 signing key".getBytes(StandardCharsets.US_ASCII);
    private static final Instant NOT_BEFORE = Instant.parse("2020-01-01T00:00:00Z");
    private static final Instant NOT_AFTER = Instant.parse("2120-01-01T00:00:00Z");

    final PrivateKey privateKey;
    final X509Certificate certificate;
    final X500Name name;
    final String fingerprint;

    private ClusterCa(PrivateKey privateKey, X509Certificate certificate, X500Name name, String fingerprint) {
        this.privateKey = privateKey;
        this.certificate = certificate;
        this.name = name;
        this.fingerprint = fingerprint;
    }

    static ClusterCa derive(ClusterSecret secret) {
        try {
            X9ECParameters curve = ECNamedCurveTable.getByName(CURVE);
            BigInteger d = scalarFrom(secret, curve.getN());
            org.bouncycastle.math.ec.ECPoint q = curve.getG().multiply(d).normalize();

            AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
            params.init(new ECGenParameterSpec(CURVE));
            ECParameterSpec spec = params.getParameterSpec(ECParameterSpec.class);
            KeyFactory kf = KeyFactory.getInstance("EC");
            PrivateKey priv = kf.generatePrivate(new ECPrivateKeySpec(d, spec));
            PublicKey pub = kf.generatePublic(new ECPublicKeySpec(
                    new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger()), spec));

            String fingerprint = HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(pub.getEncoded()), 0, 8);
            X500Name name = new X500Name("CN=dfs cluster CA " + fingerprint);
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.ONE,
                    Date.from(NOT_BEFORE), Date.from(NOT_AFTER), name, pub)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            X509Certificate cert = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(deterministicSigner(d, curve)));
            return new ClusterCa(priv, cert, name, fingerprint);
        } catch (GeneralSecurityException | org.bouncycastle.cert.CertIOException e) {
            throw new IllegalStateException("cannot derive the cluster CA: " + e.getMessage(), e);
        }
    }

    /** Signer whose signatures depend only on key and message (RFC 6979), so derivation is repeatable. */
    private static ContentSigner deterministicSigner(BigInteger d, X9ECParameters curve) {
        ECDSASigner ecdsa = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        ecdsa.init(true, new ECPrivateKeyParameters(d,
                new ECDomainParameters(curve.getCurve(), curve.getG(), curve.getN(), curve.getH())));
        ByteArrayOutputStream tbs = new ByteArrayOutputStream();
        return new ContentSigner() {
            @Override
            public AlgorithmIdentifier getAlgorithmIdentifier() {
                return new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256);
            }

            @Override
            public OutputStream getOutputStream() {
                return tbs;
            }

            @Override
            public byte[] getSignature() {
                SHA256Digest digest = new SHA256Digest();
                byte[] data = tbs.toByteArray();
                digest.update(data, 0, data.length);
                byte[] hash = new byte[32];
                digest.doFinal(hash, 0);
                BigInteger[] rs = ecdsa.generateSignature(hash);
                try {
                    return new DERSequence(new ASN1Encodable[] {new ASN1Integer(rs[0]), new ASN1Integer(rs[1])})
                            .getEncoded(ASN1Encoding.DER);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }

    private static BigInteger scalarFrom(ClusterSecret secret, BigInteger order) {
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        byte[] ikm = secret.bytes();
        hkdf.init(new HKDFParameters(ikm, HKDF_SALT, HKDF_INFO));
        java.util.Arrays.fill(ikm, (byte) 0);
        byte[] okm = new byte[48]; // 128 bits more than the order: negligible modulo bias
        hkdf.generateBytes(okm, 0, okm.length);
        BigInteger d = new BigInteger(1, okm).mod(order.subtract(BigInteger.ONE)).add(BigInteger.ONE);
        java.util.Arrays.fill(okm, (byte) 0);
        return d;
    }
}
