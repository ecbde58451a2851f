package dfs.common.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The whole configuration of {@code dfs}, read once from {@code dfs_setup.config} and passed to
 * whatever needs it; never a global. Every field is typed and validated, each with a default, so a
 * {@code DfsConfig} that exists is usable. Relative paths are already resolved against the folder
 * of the configuration file. {@link #toString()} shows no secret. Immutable and thread-safe.
 *
 * @param source the configuration file (absolute)
 * @param clusterSecret {@code cluster_secret}: absent until {@code ./dfs init} writes it
 * @param chunkSize {@code chunk_size}: plaintext bytes per chunk, 64KiB to 64MiB
 * @param replicationFactor {@code replication_factor}: copies of each chunk, 1 to 16
 * @param replicationPath {@code replication_path}: how an upload's copies reach their servers
 * @param numChunkServers {@code num_chunk_servers}: servers a one-shot master command waits for
 * @param discovery {@code discovery}: how the master finds chunk servers
 * @param chunkServers {@code chunk_servers}: the servers when {@code discovery} is static
 * @param bindAddress {@code bind_address}: IP literal a chunk server listens on
 * @param port {@code port}: TCP port of a chunk server, 0 for any free port
 * @param storageDir {@code storage_dir}: a chunk server's chunk folder
 * @param reserveSpace {@code reserve_space}: free space a chunk server leaves on the disk of its
 *     chunk folder; it refuses a chunk that would eat into it
 * @param metadataFile {@code metadata_file}: the master's record of uploaded files
 * @param masterKeyFile {@code master_key_file}: the master's chunk encryption key
 * @param uploadDir {@code upload_dir}: where the master picks files to upload
 * @param outputDir {@code output_dir}: where the master writes downloaded files
 * @param discoveryTimeout {@code discovery_timeout}: the longest wait for chunk servers
 * @param heartbeatInterval {@code heartbeat_interval}: time between health checks
 * @param deadAfter {@code dead_after}: silence after which a chunk server counts as down
 */
public record DfsConfig(Path source, Optional<ClusterSecret> clusterSecret, ByteSize chunkSize,
        int replicationFactor, ReplicationPath replicationPath, int numChunkServers, DiscoveryMode discovery, List<HostPort> chunkServers,
        String bindAddress, int port, Path storageDir, ByteSize reserveSpace, Path metadataFile, Path masterKeyFile, Path uploadDir,
        Path outputDir, Duration discoveryTimeout, Duration heartbeatInterval, Duration deadAfter) {

    public static final String CLUSTER_SECRET = "cluster_secret";
    public static final String CHUNK_SIZE = "chunk_size";
    public static final String REPLICATION_FACTOR = "replication_factor";
    public static final String REPLICATION_PATH = "replication_path";
    public static final String NUM_CHUNK_SERVERS = "num_chunk_servers";
    public static final String DISCOVERY = "discovery";
    public static final String CHUNK_SERVERS = "chunk_servers";
    public static final String BIND_ADDRESS = "bind_address";
    public static final String PORT = "port";
    public static final String STORAGE_DIR = "storage_dir";
    public static final String RESERVE_SPACE = "reserve_space";
    public static final String METADATA_FILE = "metadata_file";
    public static final String MASTER_KEY_FILE = "master_key_file";
    public static final String UPLOAD_DIR = "upload_dir";
    public static final String OUTPUT_DIR = "output_dir";
    public static final String DISCOVERY_TIMEOUT = "discovery_timeout";
    public static final String HEARTBEAT_INTERVAL = "heartbeat_interval";
    public static final String DEAD_AFTER = "dead_after";

    /** Every key the file may contain, in the order of the shipped file. */
    public static final List<String> KEYS = List.of(CLUSTER_SECRET, CHUNK_SIZE, REPLICATION_FACTOR,
            REPLICATION_PATH, NUM_CHUNK_SERVERS, DISCOVERY, CHUNK_SERVERS, BIND_ADDRESS, PORT, STORAGE_DIR, RESERVE_SPACE,
            METADATA_FILE, MASTER_KEY_FILE, UPLOAD_DIR, OUTPUT_DIR, DISCOVERY_TIMEOUT, HEARTBEAT_INTERVAL, DEAD_AFTER);

    public static final ByteSize MIN_CHUNK_SIZE = ByteSize.ofKiB(64);
    public static final ByteSize MAX_CHUNK_SIZE = ByteSize.ofMiB(64);
    public static final int MAX_REPLICATION_FACTOR = 16;

    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:][0-9A-Fa-f:.]*");

    public DfsConfig {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(clusterSecret, CLUSTER_SECRET);
        Objects.requireNonNull(chunkSize, CHUNK_SIZE);
        Objects.requireNonNull(replicationPath, REPLICATION_PATH);
        Objects.requireNonNull(discovery, DISCOVERY);
        chunkServers = List.copyOf(chunkServers);
        Objects.requireNonNull(bindAddress, BIND_ADDRESS);
        Objects.requireNonNull(storageDir, STORAGE_DIR);
        Objects.requireNonNull(reserveSpace, RESERVE_SPACE);
        Objects.requireNonNull(metadataFile, METADATA_FILE);
        Objects.requireNonNull(masterKeyFile, MASTER_KEY_FILE);
        Objects.requireNonNull(uploadDir, UPLOAD_DIR);
        Objects.requireNonNull(outputDir, OUTPUT_DIR);
        Objects.requireNonNull(discoveryTimeout, DISCOVERY_TIMEOUT);
        Objects.requireNonNull(heartbeatInterval, HEARTBEAT_INTERVAL);
        Objects.requireNonNull(deadAfter, DEAD_AFTER);

        if (chunkSize.bytes() < MIN_CHUNK_SIZE.bytes() || chunkSize.bytes() > MAX_CHUNK_SIZE.bytes()) {
            throw bad(source, CHUNK_SIZE, chunkSize, "is out of range; expected " + MIN_CHUNK_SIZE + " to " + MAX_CHUNK_SIZE);
        }
        if (replicationFactor < 1 || replicationFactor > MAX_REPLICATION_FACTOR) {
            throw bad(source, REPLICATION_FACTOR, replicationFactor, "is out of range; expected 1 to " + MAX_REPLICATION_FACTOR);
        }
        if (numChunkServers < 1) {
            throw bad(source, NUM_CHUNK_SERVERS, numChunkServers, "is out of range; expected 1 or more");
        }
        if (replicationFactor > numChunkServers) {
            throw bad(source, REPLICATION_FACTOR, replicationFactor, "is more than " + NUM_CHUNK_SERVERS + " "
                    + numChunkServers + "; expected at most as many copies as chunk servers waited for");
        }
        if (!isIpLiteral(bindAddress)) {
            throw bad(source, BIND_ADDRESS, bindAddress, "is not an IP address; expected one like 0.0.0.0 or 192.168.1.20");
        }
        if (port < 0 || port > 65535) {
            throw bad(source, PORT, port, "is out of range; expected 0 (any free port) to 65535");
        }
        if (new HashSet<>(chunkServers).size() != chunkServers.size()) {
            throw new ConfigException(source + ": " + CHUNK_SERVERS + " lists a server more than once; expected each once");
        }
        if (discovery == DiscoveryMode.STATIC) {
            if (chunkServers.isEmpty()) {
                throw new ConfigException(source + ": " + CHUNK_SERVERS + " is empty but " + DISCOVERY
                        + " is static; expected servers like 192.168.1.20:7443, 192.168.1.21:7443");
            }
            if (numChunkServers > chunkServers.size()) {
                throw bad(source, NUM_CHUNK_SERVERS, numChunkServers, "is more than the " + chunkServers.size()
                        + " listed in " + CHUNK_SERVERS + "; expected at most that many");
            }
        }
        requirePositive(source, DISCOVERY_TIMEOUT, discoveryTimeout);
        requirePositive(source, HEARTBEAT_INTERVAL, heartbeatInterval);
        if (deadAfter.compareTo(heartbeatInterval) <= 0) {
            throw bad(source, DEAD_AFTER, Durations.format(deadAfter), "is not longer than " + HEARTBEAT_INTERVAL
                    + " " + Durations.format(heartbeatInterval) + "; expected a longer time, like 5 intervals");
        }
    }

    /**
     * Reads and validates a configuration file.
     *
     * @throws ConfigException if the file is missing or unreadable, or anything in it is wrong
     */
    public static DfsConfig load(Path file) {
        Path source = file.toAbsolutePath().normalize();
        String text;
        try {
            text = Files.readString(source, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(source + " does not exist: run './dfs init' to create it, or copy it from"
                    + " the machine where './dfs init' ran", e);
        } catch (CharacterCodingException e) {
            throw new ConfigException(source + ": is not UTF-8 text; save it as UTF-8", e);
        } catch (IOException e) {
            throw new ConfigException("cannot read " + source + ": " + e, e);
        }
        return fromValues(source, ConfigValues.parse(source, text));
    }

    /** The configuration a file with no keys would give: every default. Handy in tests. */
    public static DfsConfig defaults(Path file) {
        return fromValues(file, Map.of());
    }

    /**
     * Builds a configuration from {@code key -> text} entries exactly as if they were the content of
     * {@code file}, with the same defaults and checks; the file itself is not read. Handy in tests:
     * {@code fromValues(dir.resolve("dfs_setup.config"), Map.of("port", "0"))}.
     *
     * @throws ConfigException for an unknown key or a bad value
     */
    public static DfsConfig fromValues(Path file, Map<String, String> values) {
        Path source = file.toAbsolutePath().normalize();
        ConfigValues v = new ConfigValues(source, values);
        return new DfsConfig(source,
                v.secret(CLUSTER_SECRET),
                v.get(CHUNK_SIZE, ByteSize.ofMiB(4), ByteSize::parse),
                v.get(REPLICATION_FACTOR, 2, ConfigValues::integer),
                v.get(REPLICATION_PATH, ReplicationPath.AUTO, ReplicationPath::parse),
                v.get(NUM_CHUNK_SERVERS, 3, ConfigValues::integer),
                v.get(DISCOVERY, DiscoveryMode.MDNS, DiscoveryMode::parse),
                v.get(CHUNK_SERVERS, List.of(), ConfigValues::hostPorts),
                v.get(BIND_ADDRESS, "0.0.0.0", text -> text),
                v.get(PORT, 7443, ConfigValues::integer),
                v.path(STORAGE_DIR, "chunks"),
                v.get(RESERVE_SPACE, ByteSize.ofMiB(64), ByteSize::parse),
                v.path(METADATA_FILE, "metadata_uploaded.json"),
                v.path(MASTER_KEY_FILE, "master.key"),
                v.path(UPLOAD_DIR, "upload_list"),
                v.path(OUTPUT_DIR, "output"),
                v.get(DISCOVERY_TIMEOUT, Duration.ofSeconds(5), Durations::parse),
                v.get(HEARTBEAT_INTERVAL, Duration.ofSeconds(2), Durations::parse),
                v.get(DEAD_AFTER, Duration.ofSeconds(10), Durations::parse));
    }

    /**
     * The cluster secret, which everything networked needs.
     *
     * @throws ConfigException if {@code ./dfs init} has not written one yet
     */
    public ClusterSecret requireClusterSecret() {
        return clusterSecret.orElseThrow(() -> new ConfigException(source + ": " + CLUSTER_SECRET
                + " is missing: run './dfs init' on one machine, then copy dfs_setup.config to every machine"));
    }

    private static boolean isIpLiteral(String text) {
        if (IPV4.matcher(text).matches()) {
            return true;
        }
        // Checked by shape first so that getByName only ever parses a literal and never asks DNS.
        if (text.indexOf(':') < 0 || !IPV6.matcher(text).matches()) {
            return false;
        }
        try {
            InetAddress.getByName(text);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static void requirePositive(Path source, String key, Duration d) {
        if (d.isZero() || d.isNegative()) {
            throw bad(source, key, Durations.format(d), "is not positive; expected a duration like 5s or 500ms");
        }
    }

    private static ConfigException bad(Path source, String key, Object value, String problem) {
        return new ConfigException(source + ": " + key + " '" + value + "' " + problem);
    }
}
