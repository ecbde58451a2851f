package dfs.master.bench;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chunk servers run as separate processes of this very program ({@code dfs chunkserver}), on
 * 127.0.0.1 with any free port, each logging to its own file. They are stopped by their process
 * ids on {@link #close()}, and by a shutdown hook if this process is interrupted first; killed
 * outright or crashed, it leaves them to stop themselves once it has ended ({@code --exit-with}).
 * Not thread-safe: one owner starts and closes them.
 */
final class ServerProcesses implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServerProcesses.class);
    private static final String MAIN = "dfs.master.cli.Main";

    private final List<Process> processes = new ArrayList<>();
    private final List<Path> logs = new ArrayList<>();
    private final Thread hook = new Thread(this::stopAll, "dfs-bench-stop-servers");

    private ServerProcesses() {}

    /** Starts {@code count} chunk servers of the cluster {@code config} describes, storing under {@code dir}. */
    static ServerProcesses start(int count, Path config, Path dir) throws IOException {
        ServerProcesses s = new ServerProcesses();
        Runtime.getRuntime().addShutdownHook(s.hook);
        try {
            for (int i = 1; i <= count; i++) {
                Path storage = Files.createDirectories(dir.resolve("server-" + i));
                Path logFile = dir.resolve("server-" + i + ".log");
                List<String> cmd = new ArrayList<>(launcher());
                cmd.addAll(List.of("chunkserver", "--config", config.toString(), "--dir", storage.toString(),
                        "--port", "0", "--bind", "127.0.0.1",
                        "--exit-with", String.valueOf(ProcessHandle.current().pid())));
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                        .redirectOutput(logFile.toFile()).start();
                s.processes.add(p);
                s.logs.add(logFile);
                log.debug("started chunk server {} as pid {}: {}", i, p.pid(), cmd);
            }
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /**
     * How to run this program again: {@code java -jar <this jar>} when it runs from a jar, else
     * (tests, an IDE) {@code java -cp <this class path> dfs.master.cli.Main}.
     */
    static List<String> launcher() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path code;
        try {
            code = Path.of(ServerProcesses.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            throw new IllegalStateException("cannot tell where the dfs code lives to start chunk servers: " + e, e);
        }
        if (Files.isRegularFile(code) && code.getFileName().toString().endsWith(".jar")) {
            return List.of(java, "-jar", code.toString());
        }
        return List.of(java, "-cp", System.getProperty("java.class.path"), MAIN);
    }

    List<Long> pids() {
        return processes.stream().map(Process::pid).toList();
    }

    /** The log files, for a message when servers do not show up. */
    List<Path> logs() {
        return List.copyOf(logs);
    }

    /** Servers that have exited already (they should not have). */
    List<Long> exited() {
        return processes.stream().filter(p -> !p.isAlive()).map(Process::pid).toList();
    }

    @Override
    public void close() {
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running or ran
        }
    }

    /** SIGTERM each (a clean stop), then SIGKILL whichever has not exited after a grace period. */
    private synchronized void stopAll() {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    log.warn("chunk server pid {} ignored SIGTERM for 10 s; killing it", p.pid());
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
