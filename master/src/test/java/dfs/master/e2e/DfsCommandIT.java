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
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The product as a user runs it: three chunk server processes discovered by real mDNS on
 * 127.0.0.1, driven only through `dfs` one-shot commands and the console on standard input.
 */
class DfsCommandIT {
    private static final long SEED = System.nanoTime();
    @TempDir
    static Path work;
    static Path config;
    static final List<Process> servers = new ArrayList<>();
    static final Random random = new Random(SEED);

    @BeforeAll
    static void startCluster() throws Exception {
        System.err.println("DfsCommandIT random seed " + SEED + ", work folder " + work);
        config = work.resolve("dfs_setup.config");
        Result init = DfsProcess.run(work, "", "init", "--config", config.toString());
        assertThat(init.exit()).as("%s", init).isZero();
        assertThat(init.out()).contains("cluster_secret").contains("master.key");
        Files.writeString(config, Files.readString(config)
                + "\nbind_address = 127.0.0.1\nport = 0\nchunk_size = 64KiB\ndiscovery_timeout = 20s\n");
        for (int i = 0; i < 3; i++) {
            Path log = work.resolve("server-" + i + ".log");
            servers.add(DfsProcess.builder(work, "chunkserver", "--config", config.toString(), "--dir",
                    work.resolve("server-" + i).toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start());
        }
        for (int i = 0; i < 3; i++) {
            DfsProcess.awaitLine(work.resolve("server-" + i + ".log"), "serving");
        }
    }

    @AfterAll
    static void stopCluster() throws Exception {
        for (Process p : servers) {
            p.destroy(); // SIGTERM: the daemon stops cleanly
        }
        for (Process p : servers) {
            if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }


    private static Result dfs(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.add(1, "--config");
        all.add(2, config.toString());
        return DfsProcess.run(work, "", all.toArray(String[]::new));
    }

    private static Path randomFile(String name, int size) throws IOException {
        byte[] data = new byte[size];
        random.nextBytes(data);
        return Files.write(work.resolve(name), data);
    }

    @Test
    void filesOfEverySizeComeBackIdenticalThroughOneShotCommands() throws Exception {
        int[] sizes = {0, 1, 65535, 65536, 65537, 10 * 1024 * 1024 + 1};
        for (int size : sizes) {
            Path f = randomFile("oneshot-" + size + ".bin", size);
            Result up = dfs("upload", f.toString());
            assertThat(up.exit()).as("%s", up).isZero();
            assertThat(up.out()).startsWith("uploaded oneshot-" + size + ".bin");
        }
        Result list = dfs("list");
        assertThat(list.exit()).isZero();
        for (int size : sizes) {
            assertThat(list.out()).contains("oneshot-" + size + ".bin");
            Result down = dfs("download", "oneshot-" + size + ".bin");
            assertThat(down.exit()).as("%s", down).isZero();
            assertThat(Files.readAllBytes(work.resolve("output/oneshot-" + size + ".bin")))
                    .isEqualTo(Files.readAllBytes(work.resolve("oneshot-" + size + ".bin")));
        }
    }

    @Test
    void theConsoleReadsCommandsFromStandardInputWithoutPrompts() throws Exception {
        Path f = randomFile("console.bin", 300_000);
        Path dest = work.resolve("console.back");
        Result r = DfsProcess.run(work, "help\nupload " + f + "\nupload " + f + "\nlist\ndownload console.bin " + dest
                + "\nexit\n", "master", "--config", config.toString());
        assertThat(r.exit()).as("%s", r).isZero();
        assertThat(r.out()).doesNotContain("dfs>").contains("downloaded console.bin")
                .contains("Usage: COMMAND [OPTIONS] [ARGUMENTS]; 'help COMMAND' explains one").doesNotContain("Usage:  ");
        assertThat(r.out().lines().filter(l -> l.startsWith("uploaded console.bin")))
                .as("the second upload says it replaced the first").hasSize(2)
                .satisfiesExactly(first -> assertThat(first).doesNotContain("replacing"),
                        second -> assertThat(second).startsWith("uploaded console.bin (replacing the file stored under"
                                + " that name): "));
        assertThat(Files.readAllBytes(dest)).isEqualTo(Files.readAllBytes(f));
    }

    @Test
    void everyChunkIsOnExactlyTwoServersAndNoDiskHoldsPlaintext() throws Exception {
        String marker = "PLAINTEXT-MARKER-" + SEED;
        Path f = Files.writeString(work.resolve("plain.txt"), (marker + " lorem ipsum\n").repeat(30_000));
        assertThat(dfs("upload", f.toString()).exit()).isZero();
        JsonNode file = metadataEntry("plain.txt");
        int chunks = file.path("chunks").size();
        assertThat(chunks).isGreaterThan(3);
        for (JsonNode c : file.path("chunks")) {
            Set<String> holders = new HashSet<>();
            c.path("servers").forEach(n -> holders.add(n.asText()));
            assertThat(holders).hasSize(2);
            assertThat(chunkFiles(c.path("id").asText())).hasSize(2);
        }
        try (Stream<Path> all = Files.walk(work).filter(p -> p.toString().contains("server-"))) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1))
                        .as("%s", p).doesNotContain("PLAINTEXT-MARKER").doesNotContain("plain.txt");
            }
        }
    }

    @Test
    void aRenamedFileComesBackIdenticalUnderItsNewNameWithTheSameChunks() throws Exception {
        Path f = randomFile("draft.bin", 150_000);
        assertThat(dfs("upload", f.toString()).exit()).isZero();
        List<String> ids = new ArrayList<>();
        metadataEntry("draft.bin").path("chunks").forEach(c -> ids.add(c.path("id").asText()));

        Result mv = dfs("rename", "draft.bin", "final/report.bin");
        assertThat(mv.exit()).as("%s", mv).isZero();
        assertThat(mv.out()).isEqualTo("renamed draft.bin to final/report.bin\n");

        List<String> after = new ArrayList<>();
        metadataEntry("final/report.bin").path("chunks").forEach(c -> after.add(c.path("id").asText()));
        assertThat(after).isEqualTo(ids);
        assertThat(dfs("list").out()).contains("final/report.bin").doesNotContain("draft.bin");
        Path back = work.resolve("report.back");
        assertThat(dfs("download", "final/report.bin", back.toString()).exit()).isZero();
        assertThat(Files.mismatch(back, f)).isEqualTo(-1);
        assertThat(dfs("delete", "final/report.bin").exit()).isZero();
    }

    @Test
    void aDrainedServerHoldsNoChunkAFileNeedsAndTheFileComesBackIdentical() throws Exception {
        Path f = randomFile("retiring.bin", 300_000);
        assertThat(dfs("upload", f.toString()).exit()).isZero();
        String node = metadataEntry("retiring.bin").path("chunks").get(0).path("servers").get(0).asText();
        List<String> ids = new ArrayList<>();
        metadataEntry("retiring.bin").path("chunks").forEach(c -> ids.add(c.path("id").asText()));

        Result drain = dfs("drain", node);

        assertThat(drain.exit()).as("%s", drain).isZero();
        assertThat(drain.out()).contains("chunk server " + node + " (127.0.0.1:").contains(" drained: ");
        JsonNode root = Json.mapper().readTree(work.resolve("metadata_uploaded.json").toFile());
        root.path("files").forEach(file -> file.path("chunks").forEach(c -> assertThat(c.path("servers").toString())
                .as("%s chunk %s", file.path("name").asText(), c.path("index")).doesNotContain(node)));
        for (String id : ids) {
            assertThat(chunkFiles(id)).hasSize(2);
        }
        Path back = work.resolve("retiring.back");
        assertThat(dfs("download", "retiring.bin", back.toString()).exit()).isZero();
        assertThat(Files.mismatch(back, f)).isEqualTo(-1);

        Result unknown = dfs("drain", "feedfacefeedface");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err().strip()).isEqualTo("dfs: no chunk server 'feedfacefeedface' is known; give its node id"
                + " or host:port as 'status' shows them");

        assertThat(dfs("status").out()).contains("drained: takes no new copies");
        Result undo = dfs("drain", "--undo", node);
        assertThat(undo.exit()).as("%s", undo).isZero();
        assertThat(undo.out()).contains("chunk server " + node + " (127.0.0.1:").contains(" taken back: ");
        assertThat(dfs("status").out()).doesNotContain("drained");
    }

    @Test
    void deleteFreesTheChunksOnEveryServer() throws Exception {
        Path f = randomFile("doomed.bin", 200_000);
        assertThat(dfs("upload", f.toString()).exit()).isZero();
        List<String> ids = new ArrayList<>();
        metadataEntry("doomed.bin").path("chunks").forEach(c -> ids.add(c.path("id").asText()));
        assertThat(ids).isNotEmpty();
        Result del = dfs("delete", "doomed.bin");
        assertThat(del.exit()).as("%s", del).isZero();
        for (String id : ids) {
            assertThat(chunkFiles(id)).isEmpty();
        }
        assertThat(dfs("list").out()).doesNotContain("doomed.bin");
    }

    @Test
    void aBareNameIsTakenFromTheUploadFolder() throws Exception {
        Files.createDirectories(work.resolve("upload_list"));
        Files.writeString(work.resolve("upload_list/notes.txt"), "hello from upload_list");
        Result up = dfs("upload", "notes.txt");
        assertThat(up.exit()).as("%s", up).isZero();
        assertThat(dfs("download", "notes.txt", work.resolve("notes.back").toString()).exit()).isZero();
        assertThat(Files.readString(work.resolve("notes.back"))).isEqualTo("hello from upload_list");
    }

    @Test
    void statusShowsTheThreeLiveServers() throws Exception {
        Result s = dfs("status");
        assertThat(s.exit()).as("%s", s).isZero();
        assertThat(s.out()).contains("3 live of 3 chunk servers")
                .containsPattern(" used, \\d+\\.\\d (GiB|TiB|MiB) free on 1 disk; ")
                .contains("metadata copy up to date on 3 of 3 live chunk servers")
                .contains("copies of a chunk share a machine: the 3 live chunk servers run on 1 machine, fewer than"
                        + " replication factor 2");
    }

    @Test
    void mistakesGiveOneLineAndTheRightExitCode() throws Exception {
        Result missingFile = dfs("upload", work.resolve("no-such-file").toString());
        assertThat(missingFile.exit()).isEqualTo(1);
        assertThat(missingFile.err().strip()).startsWith("dfs: ").contains("no-such-file").doesNotContain("\n");

        Result missingName = dfs("download", "never-uploaded");
        assertThat(missingName.exit()).isEqualTo(1);
        assertThat(missingName.err()).contains("never-uploaded").contains("no such file in dfs");

        Result noArgs = DfsProcess.run(work, "", "download");
        assertThat(noArgs.exit()).isEqualTo(2);

        Result unknown = DfsProcess.run(work, "", "frobnicate");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("frobnicate");

        Path badConfig = Files.writeString(work.resolve("bad.config"), Files.readString(config) + "\nchunk_sise = 1MiB\n");
        Result bad = DfsProcess.run(work, "", "list", "--config", badConfig.toString());
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err().strip()).contains("chunk_sise").contains("chunk_size").doesNotContain("\n");

        Result missingConfig = DfsProcess.run(work, "", "list", "--config", work.resolve("nope.config").toString());
        assertThat(missingConfig.exit()).isEqualTo(2);
        assertThat(missingConfig.err()).contains("nope.config");
    }

    @Test
    void aDownloadStoppedHalfwayLeavesNoPartialFile() throws Exception {
        Path original = randomFile("stopped.bin", 32 * 1024 * 1024); // 512 chunks of 64 KiB
        assertThat(dfs("upload", original.toString()).exit()).isZero();
        Path folder = Files.createDirectories(work.resolve("stopped-download"));
        Process download = DfsProcess.builder(work, "download", "stopped.bin", folder.toString(), "--config",
                config.toString()).redirectErrorStream(true).redirectOutput(work.resolve("stopped.log").toFile()).start();
        try {
            while (partialFiles(folder).isEmpty() && download.isAlive()) {
                Thread.sleep(5); // polling for the download to begin writing
            }
            signalServers("-STOP"); // the download now waits for its next chunks
            assertThat(download.isAlive()).as("the download was stopped halfway, not after it ended: "
                    + Files.readString(work.resolve("stopped.log"))).isTrue();
            assertThat(partialFiles(folder)).hasSize(1);

            download.destroy(); // SIGTERM, as from kill or a closing terminal; Ctrl-C's SIGINT runs the same exit
            assertThat(download.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        } finally {
            signalServers("-CONT");
            download.destroyForcibly();
        }
        try (Stream<Path> left = Files.list(folder)) {
            assertThat(left.toList()).as("no partial file, and no file under the name").isEmpty();
        }
    }

    @Test
    void anUploadStoppedHalfwayDeletesTheChunksItStored() throws Exception {
        Path original = randomFile("stopped-upload.bin", 32 * 1024 * 1024); // 512 chunks of 64 KiB
        List<Path> before = allChunkFiles();
        Path log = work.resolve("stopped-upload.log");
        Process upload = DfsProcess.builder(work, "upload", original.toString(), "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            freezeServersOnceChunksArrive(upload, before.size());
            assertThat(upload.isAlive()).as("the upload was stopped halfway, not after it ended: "
                    + Files.readString(log)).isTrue();
            upload.destroy(); // SIGTERM, as from kill or a closing terminal; Ctrl-C's SIGINT runs the same exit
            Thread.sleep(200); // the exit has begun and waits for the upload to undo itself
            signalServers("-CONT");
            assertThat(upload.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        } finally {
            signalServers("-CONT");
            upload.destroyForcibly();
        }
        assertThat(allChunkFiles()).as("the chunks it had stored are deleted: " + Files.readString(log))
                .containsExactlyInAnyOrderElementsOf(before);
        assertThat(dfs("list").out()).doesNotContain("stopped-upload.bin");
    }

    @Test
    void ctrlCInTheConsoleCancelsAnUploadAndTheConsoleGoesOn() throws Exception {
        Path original = randomFile("cancelled.bin", 128 * 1024 * 1024); // 2048 chunks of 64 KiB
        List<Path> before = allChunkFiles();
        Path screen = work.resolve("console-screen.log");
        // `script` gives the console a terminal of its own, as a user's shell has; Ctrl-C typed
        // into it is turned into SIGINT for the console by the terminal, as on a real one. script
        // runs the command through $SHELL -c; `exec` makes the console that shell's process, as
        // the dfs launcher does, so the exit code is the console's own (dash, left waiting, would
        // take the SIGINT itself and exit 130 after the console). A build started as a background
        // job ignores SIGINT, and so would everything it starts, Java included, which then lets
        // no handler take it: env gives the console the default, as a user's shell does.
        String console = "exec env --default-signal=INT " + DfsProcess.builder(work, "master", "--config",
                config.toString()).command().stream().map(arg -> "'" + arg.replace("'", "'\\''") + "'")
                .collect(Collectors.joining(" "));
        ProcessBuilder terminal = new ProcessBuilder("script", "-qfec", console, "/dev/null").directory(work.toFile())
                .redirectErrorStream(true).redirectOutput(screen.toFile());
        terminal.environment().put("TERM", "xterm");
        terminal.environment().put("SHELL", "/bin/sh");
        Process p = terminal.start();
        try (OutputStream keys = p.getOutputStream()) {
            DfsProcess.awaitLine(screen, "chunk server(s) live");
            type(keys, "upload " + original + "\n");
            // Ctrl-C is a key for the line editor until the command runs: wait for its progress bar
            DfsProcess.awaitLine(screen, "MiB/s");
            freezeServersOnceChunksArrive(p, before.size());
            try {
                type(keys, "\u0003");
                DfsProcess.awaitLine(screen, "cancelling: the transfer stops");
            } finally {
                signalServers("-CONT");
            }
            DfsProcess.awaitLine(screen, "upload of cancelled.bin cancelled; nothing of it was kept");
            type(keys, "exit\n");
            assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as(Files.readString(screen)).isTrue();
            assertThat(p.exitValue()).as(Files.readString(screen)).isZero();
        } finally {
            p.destroyForcibly();
        }
        assertThat(allChunkFiles()).as("the chunks it had stored are deleted").containsExactlyInAnyOrderElementsOf(before);
        assertThat(dfs("list").out()).doesNotContain("cancelled.bin");
    }

    /** Waits for an upload's first chunks to land, then stops every server: the upload waits for those in flight. */
    private static void freezeServersOnceChunksArrive(Process uploader, int chunksBefore) throws Exception {
        while (allChunkFiles().size() == chunksBefore && uploader.isAlive()) {
            Thread.sleep(5); // polling for the upload's first chunks
        }
        signalServers("-STOP");
    }

    private static void type(OutputStream keys, String text) throws IOException {
        keys.write(text.getBytes(StandardCharsets.UTF_8));
        keys.flush();
    }

    /** The chunk files of every server: chunks/ab/ab01...ef. */
    private static List<Path> allChunkFiles() throws IOException {
        List<Path> all = new ArrayList<>();
        for (int i = 0; i < servers.size(); i++) {
            Path chunks = work.resolve("server-" + i).resolve("chunks");
            try (Stream<Path> s = Files.walk(chunks)) {
                s.filter(Files::isRegularFile).forEach(all::add);
            }
        }
        return all;
    }

    private static List<Path> partialFiles(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".partial")).toList();
        }
    }

    /** Sends {@code signal} to every chunk server process this test class started. */
    private static void signalServers(String signal) throws Exception {
        for (Process server : servers) {
            Process kill = new ProcessBuilder("kill", signal, Long.toString(server.pid())).inheritIO().start();
            assertThat(kill.waitFor()).as("kill %s %d", signal, server.pid()).isZero();
        }
    }

    @Test
    void aSecondChunkServerOnAFolderInUseStopsWithOneLine() throws Exception {
        Path folder = work.resolve("server-0");

        Result second = DfsProcess.run(work, "", "chunkserver", "--config", config.toString(), "--dir", folder.toString());

        assertThat(second.exit()).as("%s", second).isEqualTo(1);
        assertThat(second.err()).contains("dfs: storage folder " + folder)
                .contains("is in use by another chunk server");
        assertThat(dfs("status").out()).contains("3 live of 3 chunk servers");
    }

    @Test
    void aMasterThatLostItsMetadataGetsItBackFromTheChunkServers() throws Exception {
        Path f = randomFile("precious.bin", 200_000);
        Result up = dfs("upload", f.toString());
        assertThat(up.exit()).as("%s", up).isZero();
        String listed = dfs("list").out();
        List<Path> metadata = List.of(work.resolve("metadata_uploaded.json"), work.resolve("metadata_uploaded.json.journal"));
        Path aside = Files.createDirectories(work.resolve("metadata-aside"));
        for (Path m : metadata) {
            Files.move(m, aside.resolve(m.getFileName()));
        }
        try {
            assertThat(dfs("list").out()).doesNotContain("precious.bin");

            Result recover = dfs("recover");

            assertThat(recover.exit()).as("%s", recover).isZero();
            assertThat(recover.out()).startsWith("recovered ").contains(" from the metadata copy written ")
                    .contains(", held by 127.0.0.1:");
            assertThat(dfs("list").out()).isEqualTo(listed);
            Result down = dfs("download", "precious.bin", work.resolve("precious.back").toString());
            assertThat(down.exit()).as("%s", down).isZero();
            assertThat(Files.readAllBytes(work.resolve("precious.back"))).isEqualTo(Files.readAllBytes(f));
            Result again = dfs("recover");
            assertThat(again.exit()).as("%s", again).isEqualTo(1);
            assertThat(again.err()).startsWith("dfs: the metadata already holds ")
                    .endsWith("; recover only fills an empty one (move the metadata file and its .journal aside first)"
                            + System.lineSeparator());
        } finally {
            for (Path m : metadata) { // the other tests go on with the metadata as it was
                Files.move(aside.resolve(m.getFileName()), m, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    @Test
    void everyCommandHasHelp() throws Exception {
        for (String cmd : List.of("init", "local", "chunkserver", "master", "upload", "download", "list", "delete", "rename", "status",
                "drain", "recover")) {
            Result r = DfsProcess.run(work, "", cmd, "--help");
            assertThat(r.exit()).as("%s --help: %s", cmd, r).isZero();
            assertThat(r.out()).contains("Usage: dfs " + cmd);
        }
    }

    private static JsonNode metadataEntry(String name) throws IOException {
        Path meta = work.resolve("metadata_uploaded.json");
        JsonNode root = Json.mapper().readTree(meta.toFile());
        for (JsonNode f : root.path("files")) {
            if (f.path("name").asText().equals(name)) {
                return f;
            }
        }
        throw new AssertionError(name + " is not in " + meta + ":\n" + Files.readString(meta));
    }

    private static List<Path> chunkFiles(String id) throws IOException {
        try (Stream<Path> s = Files.walk(work)) {
            return s.filter(p -> p.toString().contains("server-") && p.getFileName().toString().startsWith(id)).toList();
        }
    }
}
