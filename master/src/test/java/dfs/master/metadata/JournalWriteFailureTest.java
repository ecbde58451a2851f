package dfs.master.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import dfs.common.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A journal write that really fails: a child JVM whose files may not grow past a limit
 * ({@code ulimit -f}, which makes a write past it fail with "File too large", as a full disk does).
 */
class JournalWriteFailureTest {
    @Test
    void manyChangesStoppedByAFailedWriteSayHowManyAreDurableAndARestartFindsExactlyThose(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("metadata_uploaded.json");
        // room for the first line of 1000 files and half the second: the second one fails part-way
        List<JournalEntry> first = IntStream.range(0, 1000).mapToObj(i -> JournalEntry.put(Records.file("f/" + i, 1)))
                .toList();
        long line = Json.mapper().writeValueAsBytes(JournalEntry.line(first)).length + 1;
        long limitKiB = (line + line / 2) / 1024;
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder("bash", "-c", "ulimit -f " + limitKiB + " && exec \"$@\"", "bash", java,
                "-cp", System.getProperty("java.class.path"), PutManyMain.class.getName(), file.toString(), "2500")
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        List<String> said = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .filter(l -> l.startsWith("stopped") || l.startsWith("stored") || l.startsWith("late")).toList();

        assertThat(child.exitValue()).isZero();
        assertThat(said).hasSize(2);
        assertThat(said.get(0)).startsWith("stopped durable=1000 total=2500 unknown=1000 size=1000: ")
                .contains("File too large");
        assertThat(said.get(1)).startsWith("late refused: metadata journal ")
                .contains("refuses changes after an earlier write failed").endsWith("restart the master");
        try (MetadataStore store = MetadataStore.open(file)) {
            assertThat(store.list()).extracting(FileRecord::name)
                    .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 1000).mapToObj(i -> "f/" + i).toList());
        }
    }
}
