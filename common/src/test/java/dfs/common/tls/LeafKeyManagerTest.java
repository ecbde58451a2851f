package dfs.common.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dfs.common.config.ClusterSecret;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LeafKeyManagerTest {
    private final X509Certificate leaf = ClusterTls.create(ClusterSecret.generate(), "node", Set.of()).certificate();
    private final LeafKeyManager keys = new LeafKeyManager(ecKey().getPrivate(), leaf, leaf);

    @Test
    void offersTheLeafOnlyForItsOwnKeyType() {
        assertThat(keys.chooseServerAlias("EC", null, null)).isEqualTo(LeafKeyManager.ALIAS);
        assertThat(keys.chooseClientAlias(new String[] {"RSA", "EC"}, null, null)).isEqualTo(LeafKeyManager.ALIAS);
        assertThat(keys.chooseServerAlias("RSA", null, null)).isNull();
        assertThat(keys.chooseEngineClientAlias(new String[] {"RSASSA-PSS"}, null, null)).isNull();
        assertThat(keys.getServerAliases("RSA", null)).isNull();
    }

    @Test
    void answersNothingForAnotherAliasAndHandsOutCopiesOfItsChain() {
        assertThat(keys.getPrivateKey("other")).isNull();
        assertThat(keys.getCertificateChain("other")).isNull();
        X509Certificate[] chain = keys.getCertificateChain(LeafKeyManager.ALIAS);
        chain[0] = null;
        assertThat(keys.getCertificateChain(LeafKeyManager.ALIAS)).containsExactly(leaf, leaf);
    }

    private static KeyPair ecKey() {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(256);
            return gen.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
