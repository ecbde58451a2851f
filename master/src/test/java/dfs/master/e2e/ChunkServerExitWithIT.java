package dfs.master.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dfs.master.e2e.DfsProcess.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chunk server started by {@code dfs bench} stops by itself once the bench process has ended,
 * however it ended: the bench passes its process id with the hidden {@code --exit-with}. Here a
 * {@code sleep} process stands in for the bench and is killed outright (SIGKILL, which leaves no
 * shutdown hook to run). Real processes; the server listens on 127.0.0.1 and is not announced.
 */
class ChunkServerExitWithIT {
    @TempDir
    Path work;

    @Test
    void aServerStopsCleanlyOnceTheProcessItWasToldOfHasEnded() throws Exception {
        Path config = work.resolve("dfs_setup.config");
        Result init = DfsProcess.run(work, "", "init", "--config", config.toString());
        assertThat(init.exit()).as("%s", init).isZero();
        Files.writeString(config, Files.readString(config) + "\nbind_address = 127.0.0.1\nport = 0\n"
                + "discovery = static\nchunk_servers = 127.0.0.1:7443\nnum_chunk_servers = 1\nreplication_factor = 1\n");
        Process bench = new ProcessBuilder("sleep", "300").start();
        Path log = work.resolve("server.log");
        Process server = DfsProcess.builder(work, "chunkserver", "--config", config.toString(),
                "--dir", work.resolve("server").toString(), "--exit-with", String.valueOf(bench.pid()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            DfsProcess.awaitLine(log, "serving");
            assertThat(server.isAlive()).isTrue();

            bench.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

            assertThat(server.waitFor(30, TimeUnit.SECONDS)).as("the server outlived the process by 30 s").isTrue();
            assertThat(server.exitValue()).isZero();
            assertThat(Files.readString(log)).contains("process " + bench.pid() + " has ended; stopping");
        } finally {
            bench.destroyForcibly();
            server.destroyForcibly();
        }
    }

}
