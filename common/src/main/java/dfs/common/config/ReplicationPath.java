package dfs.common.config;

import java.util.Locale;

/** How an upload's copies of a chunk reach their servers: the {@code replication_path} key. */
public enum ReplicationPath {
    /**
     * {@link #CHAIN} when the chunk's servers are on other machines than the master, {@link #DIRECT}
     * when one of them is on the master's own machine, where a chain saves no network link.
     */
    AUTO,
    /** The master sends each chunk to its first server, which passes it on to the next. */
    CHAIN,
    /** The master sends every copy itself. */
    DIRECT;

    /** Reads {@code auto}, {@code chain} or {@code direct}, in any case. */
    public static ReplicationPath parse(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "auto" -> AUTO;
            case "chain" -> CHAIN;
            case "direct" -> DIRECT;
            default -> throw new IllegalArgumentException("'" + text
                    + "' is not a replication path; expected auto, chain or direct");
        };
    }

    /** The word used in the configuration file. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
