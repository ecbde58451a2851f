package dfs.master.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code dfs master}, scripted on standard input, takes commands as soon as the metadata is read.
 * The one chunk server the configuration expects never answers here ({@link UnreachableCluster}),
 * so whatever waits for it waits the whole {@code discovery_timeout}.
 */
class ConsoleTest {
    private static final Duration GUARD = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    private int console(String discoveryTimeout, String script) throws IOException {
        Path config = UnreachableCluster.configIn(dir, discoveryTimeout);
        InputStream stdin = System.in;
        PrintStream stdout = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setIn(new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)));
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            CommandLine cl = DfsCommand.commandLine("master", "--config", config.toString());
            cl.setErr(new PrintWriter(err, true));
            return assertTimeoutPreemptively(GUARD, () -> cl.execute("master", "--config", config.toString()));
        } finally {
            System.setIn(stdin);
            System.setOut(stdout);
            out.write(printed.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void commandsThatNeedNoChunkServerAnswerWithoutWaitingForOne() throws IOException {
        // a console that waited for its chunk server before its first command would not end within the guard
        int exit = console("10m", "help\nlist\n");

        assertThat(exit).as(err.toString()).isEqualTo(ExitCodes.OK);
        assertThat(out.toString()).contains("dfs console commands:").contains("no files stored yet");
    }

    @Test
    void aCommandThatNeedsChunkServersWaitsForThemUpToTheDiscoveryTimeout() throws IOException {
        long start = System.nanoTime();
        int exit = console("3s", "status\nstatus\n");
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(exit).as(err.toString()).isEqualTo(ExitCodes.OK);
        assertThat(took).as("the first status waited out discovery_timeout").isGreaterThanOrEqualTo(Duration.ofMillis(2900));
        assertThat(out.toString()).contains("0 live of 1 chunk server");
    }
}
