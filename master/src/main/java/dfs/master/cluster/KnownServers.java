package dfs.master.cluster;

import com.fasterxml.jackson.core.type.TypeReference;
import dfs.common.config.HostPort;
import dfs.common.io.AtomicFiles;
import dfs.common.json.Json;
import dfs.common.wire.NodeId;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the master last saw each chunk server, kept beside the metadata
 * ({@code metadata_uploaded.json.servers}) so that the next master checks those addresses at once,
 * even when mDNS does not find a server again (mDNS is best effort: a host whose network went
 * down and up may stop answering it). Only suggestions: a server still has to prove its
 * membership over mutual TLS before it counts as live. Stateless.
 */
public final class KnownServers {
    private static final Logger log = LoggerFactory.getLogger(KnownServers.class);

    private KnownServers() {}

    /** One remembered server. */
    public record Entry(NodeId node, String address) {
        public Entry {
            Objects.requireNonNull(node, "node");
            HostPort.parse(address); // fails on anything that is not host:port
        }

        InetSocketAddress socketAddress() {
            return HostPort.parse(address).toSocketAddress();
        }
    }

    public static Path fileFor(Path metadataFile) {
        return metadataFile.resolveSibling(metadataFile.getFileName() + ".servers");
    }

    /** The remembered servers; none when the file is missing or unreadable (it is only a hint). */
    public static List<Entry> load(Path file) {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            return Json.mapper().readValue(file.toFile(), new TypeReference<List<Entry>>() {});
        } catch (IOException | RuntimeException e) {
            log.warn("ignoring {}: {}", file, e.getMessage());
            return List.of();
        }
    }

    /** Remembers every server with a known node id, whatever its state now. */
    public static void save(Path file, List<ServerStatus> servers) {
        write(file, servers.stream().filter(s -> s.node().isPresent())
                .map(s -> new Entry(s.node().get(), ChunkClient.format(s.address()))).distinct().toList());
    }

    /** Remembers {@code entries}, in place of the servers remembered before. */
    public static void write(Path file, List<Entry> entries) {
        try {
            AtomicFiles.write(file, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(entries));
        } catch (IOException e) {
            log.warn("could not remember the chunk servers in {}: {}", file, e.getMessage());
        }
    }
}
