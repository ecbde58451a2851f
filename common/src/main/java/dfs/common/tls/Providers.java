package dfs.common.tls;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The Bouncy Castle provider, used by name for certificate work only and never installed
 * globally, so bulk AES-GCM, SHA-256 and TLS stay on the JDK's hardware-accelerated code.
 */
final class Providers {
    private static final Provider BC = new BouncyCastleProvider();

    private Providers() {}

    static Provider bc() {
        return BC;
    }
}
