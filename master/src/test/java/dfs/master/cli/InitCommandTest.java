package dfs.master.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dfs.common.config.ClusterSecret;
import dfs.common.config.ConfigFile;
import dfs.common.config.DfsConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dfs init} prepares what is missing and keeps what a machine already has. */
class InitCommandTest {
    @TempDir
    Path dir;

    private Path config() {
        return dir.resolve("dfs_setup.config");
    }

    private int init(String... more) {
        String[] args = new String[more.length + 3];
        args[0] = "init";
        args[1] = "--config";
        args[2] = config().toString();
        System.arraycopy(more, 0, args, 3, more.length);
        return DfsCommand.commandLine(args).execute(args);
    }

    /** What init prints, run with {@code more}; its exit code must be 0. */
    private String initSays(String... more) {
        PrintStream before = System.out;
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        System.setOut(new PrintStream(said, true, StandardCharsets.UTF_8));
        try {
            assertThat(init(more)).isEqualTo(ExitCodes.OK);
        } finally {
            System.setOut(before);
        }
        return said.toString(StandardCharsets.UTF_8);
    }

    private ClusterSecret secret() throws Exception {
        return DfsConfig.load(config()).requireClusterSecret();
    }

    @Test
    void onAFreshMachineWritesASecretAndCreatesTheMasterKey() throws Exception {
        String said = initSays();

        assertThat(said).contains("wrote a new cluster_secret").doesNotContain("already has a master");
        assertThat(secret()).isNotNull();
        assertThat(dir.resolve("master.key")).isRegularFile();
    }

    @Test
    void withASecretCopiedFromAnotherMachineKeepsItCreatesTheMissingKeyAndWarnsOfASecondMaster() throws Exception {
        ClusterSecret copied = ClusterSecret.generate();
        ConfigFile.writeClusterSecret(config(), copied, false);
        String before = Files.readString(config());

        String said = initSays();

        assertThat(said).contains("if this cluster already has a master on another machine, delete this new key and"
                + " run master commands there");
        assertThat(initSays()).as("run again: the key is kept, nothing to warn of").doesNotContain("already has a master");
        assertThat(Files.readString(config())).isEqualTo(before);
        assertThat(dir.resolve("master.key")).isRegularFile();
    }

    @Test
    void runAgainChangesNothing() throws Exception {
        assertThat(init()).isEqualTo(ExitCodes.OK);
        String config = Files.readString(config());
        byte[] key = Files.readAllBytes(dir.resolve("master.key"));

        assertThat(init()).isEqualTo(ExitCodes.OK);

        assertThat(Files.readString(config())).isEqualTo(config);
        assertThat(dir.resolve("master.key")).hasBinaryContent(key);
    }

    @Test
    void withForceReplacesTheSecretAndKeepsTheMasterKey() throws Exception {
        assertThat(init()).isEqualTo(ExitCodes.OK);
        ClusterSecret first = secret();
        byte[] key = Files.readAllBytes(dir.resolve("master.key"));

        assertThat(init("--force")).isEqualTo(ExitCodes.OK);

        assertThat(secret()).isNotEqualTo(first);
        assertThat(dir.resolve("master.key")).hasBinaryContent(key);
    }
}
