package dfs.common.config;

import java.util.Locale;

/** How the master finds chunk servers: the {@code discovery} key. */
public enum DiscoveryMode {
    /** Chunk servers announce themselves by multicast DNS on the local network. */
    MDNS,
    /** Chunk servers are listed in the {@code chunk_servers} key. */
    STATIC;

    /** Reads {@code mdns} or {@code static}, in any case. */
    public static DiscoveryMode parse(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "mdns" -> MDNS;
            case "static" -> STATIC;
            default -> throw new IllegalArgumentException("'" + text + "' is not a discovery mode; expected mdns or static");
        };
    }

    /** The word used in the configuration file. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
