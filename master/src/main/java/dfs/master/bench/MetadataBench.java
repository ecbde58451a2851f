package dfs.master.bench;

import com.fasterxml.jackson.core.JsonGenerator;
import dfs.common.config.ClusterSecret;
import dfs.common.crypto.MasterKey;
import dfs.common.crypto.MasterKeyFile;
import dfs.common.io.AtomicFiles;
import dfs.common.json.Json;
import dfs.common.wire.ChunkId;
import dfs.common.wire.NodeId;
import dfs.master.metadata.ChunkRecord;
import dfs.master.metadata.FileId;
import dfs.master.metadata.FileRecord;
import dfs.master.metadata.FileSummary;
import dfs.master.metadata.MetadataCopy;
import dfs.master.metadata.MetadataStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

/**
 * How the metadata scales with the number of files. For each size, a store of that many one-chunk
 * files in the store's own snapshot format, and:
 * <ul>
 * <li>in this process: the time to open it, to list it (the 'list' command's formatting included,
 *     its output dropped), of one more upload's commit (median of 21 puts, each forced to disk)
 *     and of renaming every file (a folder rename's commit: journal lines of many files each);
 * <li>as separate processes, as a user runs them (the {@code dfs} launcher when this bench runs
 *     from it, else {@code java -jar}): a whole {@code dfs list} (output to /dev/null), and a
 *     {@code dfs master} from its start until its console answers a first command, with one chunk
 *     server on 127.0.0.1 (mDNS on 127.0.0.1) to find. Medians of a given number of runs, after
 *     one unmeasured run that fills the page cache.
 * </ul>
 * Figures, never assertions. Everything lives under the given folder and is deleted at the end;
 * the chunk server process is stopped by its process id.
 */
public final class MetadataBench {
    private static final int PUTS = 21;
    private static final long PROCESS_TIMEOUT_SECONDS = 120;
    private static final List<NodeId> NODES = List.of(NodeId.random(), NodeId.random(), NodeId.random());

    private final Path dir;
    private final PrintWriter out;
    private final BiConsumer<List<FileSummary>, PrintWriter> lister;
    private final int runs;

    /**
     * @param lister what 'list' does with the files: print them to the writer
     * @param runs how many times each process is timed (the median is reported)
     */
    public MetadataBench(Path dir, PrintWriter out, BiConsumer<List<FileSummary>, PrintWriter> lister, int runs) {
        if (runs < 1) {
            throw new IllegalArgumentException("runs must be at least 1, not " + runs);
        }
        this.dir = dir;
        this.out = out;
        this.lister = lister;
        this.runs = runs;
    }

    public void run(int... sizes) throws IOException {
        List<String> dfs = dfsCommand();
        String secret = ClusterSecret.generate().encoded();
        Files.createDirectories(dir);
        Path serverConfig = writeConfig(dir.resolve("server.config"), secret, "unused.json");
        out.println(BenchReport.heading(Runtime.getRuntime().availableProcessors()));
        out.println("metadata with N one-chunk files (snapshot + journal, each commit forced to disk);");
        out.println("processes run as " + String.join(" ", dfs) + " ..., load average " + BenchReport.loadAverage()
                + " before:");
        out.printf(Locale.ROOT, "  %9s  %10s  %9s  %9s  %15s  %10s  %12s  %12s  %22s%n", "files", "snapshot", "open",
                "list", "one more upload", "rename all", "'dfs list'", "master ready", "copy for the servers");
        try (ServerProcesses server = ServerProcesses.start(1, serverConfig, dir.resolve("server"))) {
            for (int n : sizes) {
                Path store = Files.createDirectories(dir.resolve("store-" + n));
                Path file = store.resolve("metadata.json");
                writeSnapshot(file, n);
                try (MetadataStore s = MetadataStore.open(file)) {
                    s.put(record("extra/first")); // closing folds it in: the snapshot as the store writes it
                }
                long size = Files.size(file);
                long t0 = System.nanoTime();
                long opened;
                long listed;
                long[] puts = new long[PUTS];
                long renamed;
                SealedCopy copy;
                try (MetadataStore s = MetadataStore.open(file)) {
                    opened = System.nanoTime() - t0;
                    long t1 = System.nanoTime();
                    lister.accept(s.list().stream().map(FileRecord::summary).toList(), new PrintWriter(Writer.nullWriter()));
                    listed = System.nanoTime() - t1;
                    for (int i = 0; i < PUTS; i++) {
                        FileRecord r = record("extra/" + i);
                        long t = System.nanoTime();
                        s.put(r);
                        puts[i] = System.nanoTime() - t;
                    }
                    copy = sealCopy(s.list());
                    long t2 = System.nanoTime();
                    s.renameAll(s.list().stream()
                            .map(f -> new MetadataStore.Rename(f.name(), f.withName("moved/" + f.name()))).toList());
                    renamed = System.nanoTime() - t2;
                }
                Arrays.sort(puts);
                Path config = writeConfig(store.resolve("dfs_setup.config"), secret, file.getFileName().toString());
                MasterKeyFile.create(store.resolve("master.key"));
                // the master first: its unmeasured run also waits out the chunk server's start
                double master = median(() -> masterProcess(dfs, config));
                double list = median(() -> listProcess(dfs, config));
                out.printf(Locale.ROOT, "  %9d  %7.1f MB  %6.0f ms  %6.0f ms  %12.2f ms  %7.0f ms  %10.2f s  %10.2f s"
                        + "  %7.1f MB in %6.0f ms%n", n, size / 1e6, opened / 1e6, listed / 1e6, puts[PUTS / 2] / 1e6,
                        renamed / 1e6, list, master, copy.bytes() / 1e6, copy.nanos() / 1e6);
                deleteTree(store);
            }
            if (!server.exited().isEmpty()) {
                out.println("note: the chunk server exited early; see " + server.logs());
            }
        } finally {
            deleteTree(dir);
        }
        out.println("load average after: " + BenchReport.loadAverage());
    }

    /** What making the copy each chunk server keeps of this metadata took. */
    private record SealedCopy(long bytes, long nanos) {}

    /** Seals the metadata copy twice (the first run warms the code up) and keeps the second. */
    private static SealedCopy sealCopy(List<FileRecord> files) {
        MasterKey key = MasterKey.generate();
        SealedCopy last = null;
        for (int i = 0; i < 2; i++) {
            long t = System.nanoTime();
            byte[] sealed = new MetadataCopy(Instant.now(), files).seal(key);
            last = new SealedCopy(sealed.length, System.nanoTime() - t);
        }
        return last;
    }

    /** One measurement, in seconds. */
    @FunctionalInterface
    private interface Run {
        double seconds() throws IOException;
    }

    private double median(Run run) throws IOException {
        run.seconds(); // fills the page cache, and lets the launcher finish any one-off work
        double[] s = new double[runs];
        for (int i = 0; i < runs; i++) {
            s[i] = run.seconds();
        }
        Arrays.sort(s);
        return s[runs / 2];
    }

    /** A whole {@code dfs list}, its output to /dev/null. */
    private double listProcess(List<String> dfs, Path config) throws IOException {
        Path log = config.resolveSibling("list.log");
        Process p = new ProcessBuilder(command(dfs, "list", "--config", config.toString()))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(log.toFile()).start();
        long t0 = System.nanoTime();
        p.getOutputStream().close();
        finish(p, "dfs list", log);
        return (System.nanoTime() - t0) / 1e9;
    }

    /** A {@code dfs master} from its start until its console prints the answer to {@code help}. */
    private double masterProcess(List<String> dfs, Path config) throws IOException {
        Path log = config.resolveSibling("master.log");
        Process p = new ProcessBuilder(command(dfs, "master", "--config", config.toString()))
                .redirectError(log.toFile()).start();
        long t0 = System.nanoTime();
        try (OutputStream in = p.getOutputStream()) {
            in.write("help\n".getBytes(StandardCharsets.UTF_8)); // then end of input: the console stops
        }
        long ready;
        try (BufferedReader answer = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            if (answer.readLine() == null) {
                finish(p, "dfs master", log);
                throw new IOException("dfs master printed nothing; see " + log);
            }
            ready = System.nanoTime() - t0;
            answer.transferTo(Writer.nullWriter());
        }
        finish(p, "dfs master", log);
        return ready / 1e9;
    }

    private static List<String> command(List<String> dfs, String... args) {
        List<String> cmd = new ArrayList<>(dfs);
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Waits for {@code p} to exit 0; stops it (by its handle) if it does not exit in time. */
    private static void finish(Process p, String what, Path log) throws IOException {
        try {
            if (!p.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IOException(what + " did not finish in " + PROCESS_TIMEOUT_SECONDS + " s; see " + log);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while " + what + " ran", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException(what + " exited with " + p.exitValue() + ": " + Files.readString(log).strip());
        }
    }

    /**
     * How a user runs dfs: the launcher script when this program runs from the jar beside it
     * ({@code DFS_HOME}, which the launcher sets), so its class data archive and Java options
     * count; else this program's own command line.
     */
    static List<String> dfsCommand() {
        String home = System.getenv("DFS_HOME");
        if (home != null) {
            Path script = Path.of(home, "dfs");
            try {
                Path code = Path.of(MetadataBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                if (Files.isExecutable(script) && Files.isSameFile(code, Path.of(home, "master", "target", "dfs.jar"))) {
                    return List.of(script.toString());
                }
            } catch (IOException | URISyntaxException | RuntimeException e) {
                // not run from the launcher's jar
            }
        }
        return ServerProcesses.launcher();
    }

    /** A cluster of one chunk server on 127.0.0.1, found by mDNS on 127.0.0.1. */
    private static Path writeConfig(Path file, String secret, String metadata) throws IOException {
        String text = String.join("\n",
                "# Written by './dfs bench --metadata-files'; deleted after the run.",
                "cluster_secret = " + secret,
                "bind_address = 127.0.0.1",
                "port = 0",
                "discovery = mdns",
                "num_chunk_servers = 1",
                "replication_factor = 1",
                "discovery_timeout = 60s",
                "metadata_file = " + metadata,
                "master_key_file = master.key",
                "");
        AtomicFiles.write(file, text.getBytes(StandardCharsets.UTF_8));
        return file;
    }

    private static void writeSnapshot(Path file, int n) throws IOException {
        try (OutputStream os = Files.newOutputStream(file);
                JsonGenerator g = Json.mapper().getFactory().createGenerator(os)) {
            g.writeStartObject();
            g.writeNumberField("format", 1);
            g.writeArrayFieldStart("files");
            List<String> names = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                names.add(String.format(Locale.ROOT, "photos/%06d.jpg", i));
            }
            names.sort(null);
            for (String name : names) {
                Json.mapper().writeValue(g, record(name));
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    private static FileRecord record(String name) {
        byte[] key = new byte[61];
        String hash = "ab".repeat(32);
        ChunkRecord chunk = new ChunkRecord(0, ChunkId.random(), 4096 + 25, hash, List.of(NODES.get(0), NODES.get(1)));
        return new FileRecord(name, FileId.random(), 4096, 4 * 1024 * 1024, 1, hash,
                Base64.getEncoder().encodeToString(key), Instant.now(), List.of(chunk));
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
