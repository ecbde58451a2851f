package dfs.common.config;

import java.util.Locale;
import java.util.function.BooleanSupplier;

/** How an upload's copies of a chunk reach their servers: the {@code replication_path} key. */
public enum ReplicationPath {
    /**
     * {@link #CHAIN} for chunks of at least {@link #AUTO_CHAIN_FROM_BYTES} whose servers are all on
     * other machines than the master; {@link #DIRECT} otherwise: on the master's own machine a chain
     * saves no network link and costs the CPU of one more TLS hop.
     */
    AUTO,
    /** The master sends each chunk to its first server, which passes it on to the next. */
    CHAIN,
    /** The master sends every copy itself. */
    DIRECT;

    /**
     * Under {@link #AUTO}, chunks from this size on are chained; smaller ones (small files) go to
     * every server directly: their time goes to requests, not to the link, and a chain adds one
     * request (the confirmation) per copy passed on.
     */
    public static final int AUTO_CHAIN_FROM_BYTES = 1024 * 1024;

    /**
     * Whether a chunk of {@code bytes} is passed from server to server.
     *
     * @param allElsewhere whether every server it goes to is on another machine than the master;
     *     asked only under {@link #AUTO}
     */
    public boolean chains(long bytes, BooleanSupplier allElsewhere) {
        return switch (this) {
            case CHAIN -> true;
            case DIRECT -> false;
            case AUTO -> bytes >= AUTO_CHAIN_FROM_BYTES && allElsewhere.getAsBoolean();
        };
    }

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
