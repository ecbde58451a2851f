package dfs.master.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench --metadata-files} on a tiny store: a heading, a row of figures, nothing left behind. */
class MetadataBenchTest {
    @TempDir
    Path dir;

    @Test
    void aSizeGetsARowOfFiguresAndNothingIsLeftBehind() throws Exception {
        StringWriter text = new StringWriter();
        List<Integer> listed = new ArrayList<>();
        List<ProcessHandle> before = children();
        Path work = dir.resolve("work");

        new MetadataBench(work, new PrintWriter(text, true), (files, out) -> listed.add(files.size()), 1).run(3);

        // the report says when and where it was measured, as the transfer report does
        assertThat(text.toString().lines().findFirst()).get().asString()
                .matches("dfs bench, \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d \\S+, .+, \\d+ cores, Java .+");
        List<String> rows = text.toString().lines().filter(l -> l.matches("\\s+\\d+\\s+.*")).toList();
        assertThat(rows).as(text.toString()).hasSize(1);
        assertThat(rows.get(0)).matches("\\s+3\\s+[0-9.]+ MB\\s+\\d+ ms\\s+\\d+ ms\\s+[0-9.]+ ms\\s+\\d+ ms\\s+[0-9.]+ s\\s+[0-9.]+ s"
                + "\\s+[0-9.]+ MB in\\s+\\d+ ms");
        // the 'list' the bench times in process is given the store's files: the size and one extra
        assertThat(listed).containsExactly(3 + 1);
        assertThat(work).doesNotExist();
        assertThat(children()).containsExactlyElementsOf(before);
    }

    private static List<ProcessHandle> children() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive).toList();
    }
}
