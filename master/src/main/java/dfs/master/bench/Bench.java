package dfs.master.bench;

import dfs.common.config.ClusterSecret;
import dfs.common.config.DfsConfig;
import dfs.common.crypto.MasterKey;
import dfs.common.io.AtomicFiles;
import dfs.common.tls.ClusterTls;
import dfs.master.Master;
import dfs.master.discovery.Discoveries;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code dfs bench}: one benchmark run, start to end. It starts its own three chunk server
 * processes on 127.0.0.1 (mDNS on 127.0.0.1), or uses the running cluster a configuration file
 * describes; runs the transfers through an in-process {@link Master} with its own throw-away
 * master key and metadata (so a cluster's own files and metadata are never touched); reads the
 * memory figures; stops the servers; measures the component rates; and prints a report whose
 * last line is machine-readable. Everything it creates goes in one temporary folder, deleted at
 * the end, and the servers it started are stopped by process id, also on failure.
 */
public final class Bench {
    private static final int LOCAL_SERVERS = 3;
    private static final int LOCAL_REPLICATION = 2;
    private static final Duration SERVERS_TIMEOUT = Duration.ofSeconds(60);

    private final Options options;
    private final PrintWriter out;
    private final PrintWriter notes;

    /**
     * What to measure.
     *
     * @param largeBytes size of the large file
     * @param repeat runs of the large file; the median is reported
     * @param smallCount number of 4 KiB files
     * @param clusterConfig a running cluster's configuration, or empty to start local servers
     * @param rateTime how long each component rate is measured (after a warm-up of half that)
     * @param workParent where the temporary folder goes (its disk is the one measured), or empty for the system's
     * @param maxWarmUpRounds at most this many untimed rounds first (see {@link TransferBench#warmUp}); 0 for none
     */
    public record Options(long largeBytes, int repeat, int smallCount, Optional<Path> clusterConfig, Duration rateTime,
            Optional<Path> workParent, int maxWarmUpRounds) {
        public Options {
            Objects.requireNonNull(clusterConfig, "clusterConfig");
            Objects.requireNonNull(workParent, "workParent");
            if (largeBytes < 1) {
                throw new IllegalArgumentException("--size must be at least 1 byte, got " + largeBytes);
            }
            if (repeat < 1) {
                throw new IllegalArgumentException("--repeat must be at least 1, got " + repeat);
            }
            if (smallCount < 1) {
                throw new IllegalArgumentException("--small-count must be at least 1, got " + smallCount);
            }
            if (rateTime.isNegative() || rateTime.isZero()) {
                throw new IllegalArgumentException("--rate-time must be positive, got " + rateTime);
            }
            if (maxWarmUpRounds < 0) {
                throw new IllegalArgumentException("--warm-up-rounds must be 0 or more, got " + maxWarmUpRounds);
            }
        }
    }

    public Bench(Options options, PrintWriter out, PrintWriter notes) {
        this.options = options;
        this.out = out;
        this.notes = notes;
    }

    /** Runs the benchmark and prints its report to {@code out} (progress notes go to {@code notes}). */
    public void run() throws IOException {
        Path work = Files.createTempDirectory(options.workParent().orElse(Path.of(System.getProperty("java.io.tmpdir"))),
                "dfs-bench-");
        ServerProcesses servers = null;
        try {
            DfsConfig config;
            if (options.clusterConfig().isPresent()) {
                config = withMetadataIn(DfsConfig.load(options.clusterConfig().get()), work);
            } else {
                Path file = writeLocalConfig(work);
                notes.println("bench: starting " + LOCAL_SERVERS + " chunk server processes on 127.0.0.1 in " + work);
                servers = ServerProcesses.start(LOCAL_SERVERS, file, work.resolve("servers"));
                config = DfsConfig.load(file);
            }
            BenchReport.Transfers transfers = transfers(config, servers, work);
            if (servers != null) {
                servers.close();
            }
            notes.println("bench: measuring component rates (" + options.rateTime().toMillis() + " ms each)");
            ComponentRates.Figures figures = new ComponentRates(options.rateTime().dividedBy(2), options.rateTime())
                    .measure(work);
            int cores = Runtime.getRuntime().availableProcessors();
            Limits limits = Limits.of(figures, cores, config.replicationFactor(), chained(config, servers != null),
                    servers != null);
            new BenchReport(out).print(transfers, figures, limits, cores);
        } finally {
            if (servers != null) {
                servers.close();
            }
            deleteTree(work);
        }
    }

    private BenchReport.Transfers transfers(DfsConfig config, ServerProcesses servers, Path work) throws IOException {
        ClusterTls tls = ClusterTls.create(config.requireClusterSecret(), "dfs-bench", Set.of());
        try (Master master = Master.start(config, MasterKey.generate(), Discoveries.fromConfig(config, tls), tls)) {
            if (servers == null) {
                master.beGuest(); // a running cluster's own master keeps its copies and its say over orphans
            }
            int wanted = servers != null ? LOCAL_SERVERS : config.numChunkServers();
            Duration wait = servers != null ? SERVERS_TIMEOUT : config.discoveryTimeout();
            int live = master.awaitServers(wanted, wait).size();
            if (live < config.replicationFactor()) {
                throw new IOException("only " + live + " of " + wanted + " chunk servers were found within " + wait.toSeconds()
                        + " s; " + (servers != null ? "their logs: " + servers.logs() + ", exited: " + servers.exited()
                        : "check that they run and that " + config.source() + " is this cluster's"));
            }
            long seed = System.nanoTime();
            notes.println("bench: " + live + " chunk servers live; writing the input files (random seed " + seed + ")");
            TransferBench bench = new TransferBench(master, work, notes, seed,
                    new CpuMeter(servers != null ? servers.pids() : List.of()));
            Path large = bench.writeLargeFile(options.largeBytes());
            Path small = bench.writeSmallFiles(options.smallCount());
            bench.warmUp(large, small, options.maxWarmUpRounds());
            String loadBefore = BenchReport.loadAverage();
            Memory.resetHeapPeaks();
            try {
                // small files first, right after their warm-up: after the large runs they would pay for
                // the file system skipping the inodes of the thousand chunk files those just deleted
                TransferBench.SmallRun smallRun = bench.small(small);
                TransferBench.LargeRuns largeRuns = bench.large(large, options.repeat());
                long smallDeleted = bench.deleteSmall(smallRun);
                List<OptionalLong> serverRss = new ArrayList<>();
                if (servers != null) {
                    servers.pids().forEach(pid -> serverRss.add(Memory.peakRssBytes(pid)));
                }
                return new BenchReport.Transfers(config, live, servers != null, loadBefore, BenchReport.loadAverage(),
                        largeRuns, smallRun, smallDeleted,
                        Memory.heapPeakBytes(), Runtime.getRuntime().maxMemory(), Memory.selfPeakRssBytes(), serverRss);
            } finally {
                bench.cleanUp();
            }
        }
    }

    /** The local cluster's configuration: a fresh secret, servers on 127.0.0.1, defaults otherwise. */
    private static Path writeLocalConfig(Path work) throws IOException {
        Path file = work.resolve("dfs_setup.config");
        String text = String.join("\n",
                "# Written by './dfs bench' for the chunk servers it runs; deleted after the run.",
                "cluster_secret = " + ClusterSecret.generate().encoded(),
                "bind_address = 127.0.0.1",
                "port = 0",
                "discovery = mdns",
                "num_chunk_servers = " + LOCAL_SERVERS,
                "replication_factor = " + LOCAL_REPLICATION,
                "metadata_file = metadata.json",
                "master_key_file = master.key",
                "");
        AtomicFiles.write(file, text.getBytes(StandardCharsets.UTF_8));
        return file;
    }

    /**
     * Whether the uploads measured passed chunks from server to server: {@code auto} does for
     * servers elsewhere, not for the bench's own on 127.0.0.1.
     */
    static boolean chained(DfsConfig config, boolean serversLocal) {
        return config.replicationPath().chains(config.chunkSize().bytes(), () -> !serversLocal);
    }

    /** The same cluster, with metadata of the benchmark's own, so the cluster's metadata (and its lock) stay untouched. */
    private static DfsConfig withMetadataIn(DfsConfig c, Path work) {
        return new DfsConfig(c.source(), c.clusterSecret(), c.chunkSize(), c.replicationFactor(), c.replicationPath(),
                c.numChunkServers(),
                c.discovery(), c.chunkServers(), c.bindAddress(), c.port(), c.storageDir(), c.reserveSpace(), work.resolve("metadata.json"),
                c.masterKeyFile(), c.uploadDir(), c.outputDir(), c.discoveryTimeout(), c.heartbeatInterval(), c.deadAfter());
    }

    private void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            notes.println("bench: could not remove all of " + root + ": " + e.getMessage());
        }
    }
}
