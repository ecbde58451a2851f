package dfs.master.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code dfs bench} end to end, tiny sizes, against chunk server processes it starts itself. */
class BenchCommandTest {
    private static final Pattern FIELD = Pattern.compile("([a-z_A-Z]+)=([0-9]+(?:\\.[0-9]+)?)");

    @TempDir
    Path dir;

    @Test
    void aTinyBenchmarkEndsWithAParsableLineOfPositiveFigures() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = DfsCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));

        int exit = cl.execute("bench", "--size", "2MiB", "--repeat", "1", "--small-count", "20", "--rate-time", "100ms",
                "--warm-up-rounds", "1", "--dir", dir.toString());

        assertThat(exit).as("stdout:%n%s%nstderr:%n%s", out, err).isZero();
        List<String> lines = out.toString().lines().toList();
        String last = lines.get(lines.size() - 1);
        assertThat(last).startsWith("bench ");
        Map<String, Double> figures = new LinkedHashMap<>();
        Matcher m = FIELD.matcher(last);
        while (m.find()) {
            figures.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        assertThat(figures).containsOnlyKeys("upload_MBps", "download_MBps", "small_up_per_s", "small_down_per_s",
                "master_peak_heap_MiB", "limit_upload_MBps", "limit_download_MBps");
        assertThat(last.split(" ")).hasSize(1 + figures.size()); // nothing else on the line
        assertThat(figures.values()).allSatisfy(v -> assertThat(v).isPositive());
        assertThat(err.toString()).contains("bench: warm-up round 1").doesNotContain("warm-up round 2");
        // the small files' folder is deleted as a user deletes one, and timed
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("  delete +\\d+\\.\\d files/s \\(the folder at once.*"));
    }

    @Test
    void theBenchmarkLeavesNoFilesAndNoServerProcessesBehind() throws Exception {
        CommandLine cl = DfsCommand.commandLine();
        cl.setOut(new PrintWriter(new StringWriter(), true));
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        List<ProcessHandle> before = children();

        assertThat(cl.execute("bench", "--size", "1MiB", "--repeat", "1", "--small-count", "3", "--rate-time", "50ms",
                "--warm-up-rounds", "0", "--dir", dir.toString())).as(err.toString()).isZero();

        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).isEmpty();
        }
        assertThat(children()).containsExactlyElementsOf(before);
    }

    private static List<ProcessHandle> children() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive).toList();
    }
}
