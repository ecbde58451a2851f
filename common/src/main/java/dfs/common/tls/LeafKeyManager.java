package dfs.common.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Presents this process's one leaf certificate (with the cluster CA above it) on both sides of a
 * handshake. It replaces a PKCS#12 key store plus KeyManagerFactory, which encrypted the fresh
 * key in memory with 10,000 rounds of PBKDF2 only to decrypt it again: a tenth of a second of
 * every process's start-up. Immutable and thread-safe.
 */
final class LeafKeyManager extends X509ExtendedKeyManager {
    static final String ALIAS = "leaf";

    private final PrivateKey key;
    private final X509Certificate[] chain;

    LeafKeyManager(PrivateKey key, X509Certificate leaf, X509Certificate ca) {
        this.key = key;
        this.chain = new X509Certificate[] {leaf, ca};
    }

    /** The alias for any of {@code keyTypes} that is this key's algorithm (EC), else null. */
    private String aliasFor(String... keyTypes) {
        if (keyTypes != null) {
            for (String type : keyTypes) {
                if (key.getAlgorithm().equals(type)) {
                    return ALIAS;
                }
            }
        }
        return null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return aliasFor(keyType) == null ? null : new String[] {ALIAS};
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return aliasFor(keyTypes);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return aliasFor(keyTypes);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return getClientAliases(keyType, issuers);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return aliasFor(keyType);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return aliasFor(keyType);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? key : null;
    }
}
