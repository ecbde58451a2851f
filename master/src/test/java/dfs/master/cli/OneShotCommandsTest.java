package dfs.master.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A one-shot command judges its own arguments before it waits for chunk servers: here none is
 * running and the configuration would wait ten minutes for one, so a command that waited first
 * would not end within the test's guard.
 */
class OneShotCommandsTest {
    /** Far longer than the guard below: only a command that does not wait ends in time. */
    private static final String DISCOVERY_TIMEOUT = "10m";
    private static final Duration GUARD = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    Path config;
    final StringWriter err = new StringWriter();

    @BeforeEach
    void cluster() throws IOException {
        config = UnreachableCluster.configIn(dir, DISCOVERY_TIMEOUT);
        Files.createDirectories(dir.resolve("upload_list"));
    }

    private int dfs(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--config";
        all[args.length + 1] = config.toString();
        CommandLine cl = DfsCommand.commandLine(all);
        cl.setErr(new PrintWriter(err, true));
        return assertTimeoutPreemptively(GUARD, () -> cl.execute(all));
    }

    @Test
    void uploadOfAMissingFileFailsAtOnce() {
        assertThat(dfs("upload", "holiday.jpg")).isEqualTo(ExitCodes.FAILED);

        assertThat(err.toString()).isEqualTo("dfs: holiday.jpg: no such file here or in " + dir.resolve("upload_list")
                + System.lineSeparator());
    }

    @Test
    void uploadUnderANameDfsRefusesFailsAtOnce() throws IOException {
        Files.writeString(dir.resolve("upload_list").resolve("notes.txt"), "notes");

        assertThat(dfs("upload", "notes.txt", "--as", "../notes.txt")).isEqualTo(ExitCodes.USAGE);

        assertThat(err.toString()).startsWith("dfs: ").contains("../notes.txt");
    }

    @Test
    void downloadOfANameNotStoredFailsAtOnce() {
        assertThat(dfs("download", "holiday.jpg")).isEqualTo(ExitCodes.FAILED);

        assertThat(err.toString()).startsWith("dfs: holiday.jpg: no such file in dfs");
        assertThat(dir.resolve("output").resolve("holiday.jpg")).doesNotExist();
    }

    @Test
    void downloadOfAnEmptyFolderFailsAtOnce() {
        assertThat(dfs("download", "photos/")).isEqualTo(ExitCodes.FAILED);

        assertThat(err.toString()).startsWith("dfs: photos/: no stored file under this folder");
    }

    @Test
    void deleteOfANameNotStoredFailsAtOnce() {
        assertThat(dfs("delete", "holiday.jpg")).isEqualTo(ExitCodes.FAILED);

        assertThat(err.toString()).startsWith("dfs: holiday.jpg: no such file in dfs");
    }

    @Test
    void onAMachineWithoutTheMasterKeyACommandSaysWhereMasterCommandsRun() throws IOException {
        Files.delete(dir.resolve("master.key"));

        assertThat(dfs("delete", "holiday.jpg")).isEqualTo(ExitCodes.FAILED);

        assertThat(err.toString()).isEqualTo("dfs: " + dir.resolve("master.key") + ": master key file not found: master"
                + " commands run where './dfs init' created it, as a cluster has one master (to move the master here,"
                + " copy master.key and the metadata_uploaded.json files from there); or set master_key_file in"
                + " dfs_setup.config" + System.lineSeparator());
    }
}
