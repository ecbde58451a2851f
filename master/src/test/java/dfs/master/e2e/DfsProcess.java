package dfs.master.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real dfs as a user's shell would: the {@code dfs} launcher of this checkout, which runs
 * the jar under test with its class data archive and per-command Java options, every process at
 * {@code -Xmx256m}.
 */
final class DfsProcess {
    static final Path JAR = Path.of(System.getProperty("dfs.jar", "target/dfs.jar")).toAbsolutePath();
    static final Path LAUNCHER = Path.of(System.getProperty("dfs.repo", "..")).resolve("dfs").toAbsolutePath().normalize();
    private static boolean primed;

    private DfsProcess() {}

    /** A finished command: exit code and everything it printed. */
    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    static ProcessBuilder builder(Path workDir, String... args) {
        prime();
        List<String> cmd = new ArrayList<>(List.of(LAUNCHER.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        pb.environment().remove("DFS_HOME");
        pb.environment().put("DFS_JAVA_OPTS", "-Xmx256m");
        return pb;
    }

    /**
     * Runs the launcher once before any command a test looks at, so that its one-off work for a
     * new jar (the class data archive's training run, and the line saying so) is done there; a
     * command started while another process does it runs without the archive, silently.
     */
    private static synchronized void prime() {
        if (primed) {
            return;
        }
        primed = true;
        try {
            Process p = new ProcessBuilder(LAUNCHER.toString(), "--version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(3, TimeUnit.MINUTES)) {
                p.destroyForcibly();
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits up to a minute for {@code text} to appear in {@code log}, written by another process. */
    static void awaitLine(Path log, String text) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no '" + text + "' in " + log + " within 60 s:\n" + Files.readString(log));
    }

    /** Runs a command to completion with {@code stdin} as its input (may be empty). */
    static Result run(Path workDir, String stdin, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(workDir, "out", ".txt");
        Path err = Files.createTempFile(workDir, "err", ".txt");
        Path in = Files.writeString(Files.createTempFile(workDir, "in", ".txt"), stdin);
        Process p = builder(workDir, args).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(in.toFile()).start();
        if (!p.waitFor(Duration.ofMinutes(3).toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("dfs " + String.join(" ", args) + " did not finish in 3 minutes");
        }
        Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        Files.delete(in);
        return r;
    }
}
