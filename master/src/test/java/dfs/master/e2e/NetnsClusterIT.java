package dfs.master.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dfs.common.json.Json;
import dfs.master.e2e.DfsProcess.Result;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * dfs on real hosts: a master host and three chunk server hosts, each a Linux network namespace
 * with its own address on a private bridged LAN ({@link NetnsLan}), finding each other by real
 * multicast mDNS. One chunk server host loses its link in the middle of a download; the download
 * must still complete intact, the healer must restore two copies of every chunk on the two hosts
 * left, and once the host is back its extra copies must be trimmed.
 *
 * <p>The steps build on each other, so they run in order on one cluster. Skipped (with the reason)
 * unless run as root on a machine that allows network namespaces; CI does both.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NetnsClusterIT {
    private static final long SEED = System.nanoTime();
    private static final int MASTER = 0;
    private static final int VICTIM = 3;
    private static final List<Integer> SERVERS = List.of(1, 2, 3);
    private static final Duration HEAL_DEADLINE = Duration.ofMinutes(4);
    private static final long STARTED = System.nanoTime();

    @TempDir
    static Path work;
    static Path config;
    static NetnsLan lan;
    static final Map<Integer, Process> servers = new HashMap<>();
    static final List<Process> others = new ArrayList<>();
    static final Random random = new Random(SEED);

    @BeforeAll
    static void buildTheLanAndStartTheServers() throws Exception {
        var unavailable = NetnsLan.whyUnavailable();
        Assumptions.assumeTrue(unavailable.isEmpty(), () -> "NetnsClusterIT skipped: " + unavailable.orElse(""));
        lan = NetnsLan.create(4);
        log("built %s, work folder %s, random seed %d", lan, work, SEED);
        config = work.resolve("dfs_setup.config");
        Result init = dfs("init");
        assertThat(init.exit()).as("%s", init).isZero();
        Files.writeString(config, Files.readString(config) + "\nbind_address = " + lan.address(MASTER)
                // chain: uploads pass chunks from host to host, as on a LAN (auto would send these
                // small chunks directly)
                + "\ndiscovery = mdns\nchunk_size = 64KiB\nreplication_path = chain\nnum_chunk_servers = 3"
                + "\ndiscovery_timeout = 30s"
                + "\nheartbeat_interval = 1s\ndead_after = 5s\n");
        for (int host : SERVERS) {
            Path log = work.resolve("server-" + host + ".log");
            servers.put(host, new ProcessBuilder(lan.on(host, javaDfs("chunkserver", "--config", config.toString(),
                    "--dir", storage(host).toString(), "--bind", lan.address(host))))
                    .directory(work.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start());
        }
        for (int host : SERVERS) {
            awaitCondition("chunk server on host " + host + " to serve",
                    () -> read(work.resolve("server-" + host + ".log")).contains("serving"));
            // a few MiB/s each, so a download lasts long enough to pull a cable in the middle of it
            lan.limitEgress(host, "40mbit");
        }
        log("three chunk servers up");
    }

    @AfterAll
    static void tearDown() throws Exception {
        List<Process> all = new ArrayList<>(others);
        all.addAll(servers.values());
        for (Process p : all) {
            p.destroy();
        }
        for (Process p : all) {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        if (lan != null) {
            lan.close();
        }
        log("cleaned up");
    }

    @Test
    @Order(1)
    void aDownloadCompletesIntactWhenAChunkServerHostDropsOffTheLanInTheMiddle() throws Exception {
        Path small = randomFile("small.bin", 3 * 1024 * 1024 + 17);
        Path big = randomFile("big.bin", 30 * 1024 * 1024 + 5);
        for (Path f : List.of(small, big)) {
            Result up = dfs("upload", f.toString());
            assertThat(up.exit()).as("%s", up).isZero();
            log("%s", up.out().strip());
        }
        assertThat(holders(chunkIds("big.bin"))).as("every host holds chunks of big.bin").containsAll(SERVERS);

        Path out = work.resolve("output");
        Path downloadLog = work.resolve("download.log");
        Process download = new ProcessBuilder(lan.on(MASTER, javaDfs("download", "--config", config.toString(), "big.bin")))
                .directory(work.toFile()).redirectErrorStream(true).redirectOutput(downloadLog.toFile()).start();
        others.add(download);
        awaitCondition("the download to write its first bytes", () -> partialBytes(out) > 0);
        lan.linkDown(VICTIM);
        log("pulled host %d's cable with %d bytes downloaded", VICTIM, partialBytes(out));
        assertThat(download.isAlive()).as("the download was still running when the link went down").isTrue();

        assertThat(download.waitFor(4, TimeUnit.MINUTES)).as("download finished").isTrue();
        String printed = read(downloadLog);
        assertThat(download.exitValue()).as("%s", printed).isZero();
        assertThat(Files.mismatch(out.resolve("big.bin"), big)).isEqualTo(-1L);
        assertThat(printed).contains("unavailable");
        log("download completed without host %d", VICTIM);
    }

    @Test
    @Order(2)
    void theHealerRestoresTwoCopiesOfEveryChunkOnTheTwoHostsLeft() throws Exception {
        assumeHealer();
        Set<String> ids = allChunkIds();
        Process console = startConsole("console-heal.log");
        awaitCondition("every chunk on both live hosts", HEAL_DEADLINE,
                () -> ids.stream().allMatch(id -> hasChunk(1, id) && hasChunk(2, id)));
        log("healed: %d chunks on hosts 1 and 2", ids.size());
        stopConsole(console, "console-heal.log");

        JsonNode meta = metadata();
        String n1 = nodeId(1);
        String n2 = nodeId(2);
        for (JsonNode file : meta.path("files")) {
            for (JsonNode chunk : file.path("chunks")) {
                assertThat(servers(chunk)).as("servers of chunk %s", chunk.path("id").asText()).contains(n1, n2);
            }
        }
    }

    @Test
    @Order(3)
    void aHostThatComesBackHasItsExtraCopiesTrimmed() throws Exception {
        assumeHealer();
        Set<String> ids = allChunkIds();
        lan.linkUp(VICTIM);
        Process console = startConsole("console-reconcile.log");
        explained("console-reconcile.log", ids, () -> awaitCondition("every chunk to have exactly two copies on disk",
                HEAL_DEADLINE, () -> ids.stream().allMatch(id -> copies(id) == 2)));
        log("reconciled: host %d back, %d chunks with two copies each", VICTIM, ids.size());
        stopConsole(console, "console-reconcile.log");

        Map<String, Integer> hostOfNode = new HashMap<>();
        for (int host : SERVERS) {
            hostOfNode.put(nodeId(host), host);
        }
        for (JsonNode file : metadata().path("files")) {
            for (JsonNode chunk : file.path("chunks")) {
                String id = chunk.path("id").asText();
                Set<Integer> onDisk = new HashSet<>();
                for (int host : SERVERS) {
                    if (hasChunk(host, id)) {
                        onDisk.add(host);
                    }
                }
                Set<Integer> recorded = new HashSet<>();
                servers(chunk).forEach(n -> recorded.add(hostOfNode.get(n)));
                assertThat(recorded).as("recorded holders of chunk %s", id).isEqualTo(onDisk);
            }
        }
        for (String name : List.of("small.bin", "big.bin")) {
            Path back = work.resolve(name + ".back");
            Result down = dfs("download", name, back.toString());
            assertThat(down.exit()).as("%s", down).isZero();
            assertThat(Files.mismatch(back, work.resolve(name))).isEqualTo(-1L);
        }
    }

    // ---- the cluster as the test sees it: files on each host's disk and the master's metadata

    private static Path storage(int host) {
        return work.resolve("server-" + host);
    }

    private static String nodeId(int host) {
        return read(storage(host).resolve("node_id")).strip();
    }

    private static boolean hasChunk(int host, String id) {
        return Files.isRegularFile(storage(host).resolve("chunks").resolve(id.substring(0, 2)).resolve(id));
    }

    private static int copies(String id) {
        return (int) SERVERS.stream().filter(host -> hasChunk(host, id)).count();
    }

    private static Set<Integer> holders(Set<String> ids) {
        Set<Integer> hosts = new HashSet<>();
        for (String id : ids) {
            SERVERS.stream().filter(host -> hasChunk(host, id)).forEach(hosts::add);
        }
        return hosts;
    }

    private static JsonNode metadata() throws IOException {
        return Json.mapper().readTree(work.resolve("metadata_uploaded.json").toFile());
    }

    private static Set<String> chunkIds(String name) throws IOException {
        Set<String> ids = new HashSet<>();
        for (JsonNode file : metadata().path("files")) {
            if (file.path("name").asText().equals(name)) {
                file.path("chunks").forEach(c -> ids.add(c.path("id").asText()));
            }
        }
        assertThat(ids).as("chunks of %s in the metadata", name).isNotEmpty();
        return ids;
    }

    private static Set<String> allChunkIds() throws IOException {
        Set<String> ids = new HashSet<>(chunkIds("small.bin"));
        ids.addAll(chunkIds("big.bin"));
        return ids;
    }

    private static List<String> servers(JsonNode chunk) {
        List<String> nodes = new ArrayList<>();
        chunk.path("servers").forEach(n -> nodes.add(n.asText()));
        return nodes;
    }

    private static long partialBytes(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".partial")).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0; // renamed or removed meanwhile
                }
            }).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    // ---- running dfs on the master host

    /** The master-side repair (re-replication and garbage collection) ships in dfs.master.repair. */
    private static void assumeHealer() throws IOException {
        try (JarFile jar = new JarFile(DfsProcess.JAR.toFile())) {
            boolean present = jar.stream().anyMatch(e -> e.getName().startsWith("dfs/master/repair/"));
            Assumptions.assumeTrue(present, "this dfs.jar has no master-side repair (dfs.master.repair) yet");
        }
    }

    private static Process startConsole(String logName) throws IOException {
        List<String> cmd = new ArrayList<>(javaDfs("master", "--config", config.toString()));
        cmd.add(1, "-Ddfs.log.level=INFO"); // the healer's decisions, for a failure to explain itself
        Process console = new ProcessBuilder(lan.on(MASTER, cmd))
                .directory(work.toFile()).redirectErrorStream(true).redirectOutput(work.resolve(logName).toFile())
                .start();
        others.add(console);
        return console; // its standard input stays open: the console runs until told to exit
    }

    /** Runs a wait; if it fails, the failure carries the console's log and how many copies chunks have. */
    private static void explained(String logName, Set<String> ids, Waiting waiting) throws Exception {
        try {
            waiting.run();
        } catch (AssertionError e) {
            Map<Integer, Long> byCopies = new java.util.TreeMap<>();
            ids.forEach(id -> byCopies.merge(copies(id), 1L, Long::sum));
            throw new AssertionError(e.getMessage() + "\nchunks by number of copies on disk: " + byCopies
                    + "\n--- " + logName + "\n" + read(work.resolve(logName)), e);
        }
    }

    @FunctionalInterface
    private interface Waiting {
        void run() throws Exception;
    }

    private static void stopConsole(Process console, String logName) throws Exception {
        try (OutputStream in = console.getOutputStream()) {
            in.write("exit\n".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(console.waitFor(2, TimeUnit.MINUTES)).as("console exits").isTrue();
        assertThat(console.exitValue()).as("%s", read(work.resolve(logName))).isZero();
    }

    private static List<String> javaDfs(String... args) {
        List<String> cmd = new ArrayList<>(List.of("java", "-Xmx256m", "-jar", DfsProcess.JAR.toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** A one-shot dfs command on the master host; {@code --config} goes right after the command name. */
    private static Result dfs(String command, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(command, "--config", config.toString()));
        cmd.addAll(List.of(args));
        Path out = work.resolve("cmd.out");
        Process p = new ProcessBuilder(lan.on(MASTER, javaDfs(cmd.toArray(String[]::new))))
                .directory(work.toFile()).redirectErrorStream(true).redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        others.add(p);
        if (!p.waitFor(4, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("dfs " + String.join(" ", cmd) + " did not finish in 4 minutes:\n" + read(out));
        }
        others.remove(p);
        return new Result(p.exitValue(), read(out), "");
    }

    private static Path randomFile(String name, int size) throws IOException {
        byte[] data = new byte[size];
        random.nextBytes(data);
        return Files.write(work.resolve(name), data);
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static void awaitCondition(String what, BooleanSupplier condition) throws InterruptedException {
        awaitCondition(what, Duration.ofSeconds(60), condition);
    }

    private static void awaitCondition(String what, Duration patience, BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + patience + " waiting for " + what);
            }
            Thread.sleep(50); // polling what other processes bring about
        }
    }

    private static void log(String format, Object... args) {
        System.err.printf("NetnsClusterIT %6.1fs: %s%n", (System.nanoTime() - STARTED) / 1e9, String.format(format, args));
    }
}
