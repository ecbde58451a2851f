package dfs.master.discovery;

import dfs.common.config.DfsConfig;
import dfs.common.config.HostPort;
import dfs.common.tls.ClusterTls;
import java.io.IOException;

/** The discovery a configuration asks for: mDNS on {@code bind_address}, or the static list. */
public final class Discoveries {
    private Discoveries() {}

    public static Discovery fromConfig(DfsConfig config, ClusterTls tls) throws IOException {
        return switch (config.discovery()) {
            case MDNS -> MdnsDiscovery.start(LanAddress.resolve(config.bindAddress()), tls.fingerprint());
            case STATIC -> new StaticDiscovery(config.chunkServers().stream()
                    .map(HostPort::toSocketAddress).toList());
        };
    }
}
