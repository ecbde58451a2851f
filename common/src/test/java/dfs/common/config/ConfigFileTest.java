package dfs.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {
    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("dfs_setup.config");
    }

    @Test
    void createsAMissingFileFromTheShippedDefault() throws IOException {
        ClusterSecret secret = ClusterSecret.generate();
        ConfigFile.writeClusterSecret(file(), secret, false);

        assertThat(DfsConfig.load(file()).requireClusterSecret()).isEqualTo(secret);
        String written = Files.readString(file());
        assertThat(written.replace(secret.encoded(), ""))
                .isEqualTo(ConfigFile.defaultText().replace("cluster_secret =", "cluster_secret = "));
    }

    @Test
    void setsAnEmptySecretKeepingEveryOtherLineAndComment() throws IOException {
        String before = "# my cluster\nport = 9000   # not a comment in properties\n\n"
                + "# the secret:\ncluster_secret =\n#chunk_size = 4MiB\ndead_after 20s\n";
        Files.writeString(file(), before);
        ClusterSecret secret = ClusterSecret.generate();

        ConfigFile.writeClusterSecret(file(), secret, false);

        assertThat(Files.readString(file())).isEqualTo(before.replace("cluster_secret =\n",
                "cluster_secret = " + secret.encoded() + "\n"));
    }

    @Test
    void appendsTheSecretWhenTheFileHasNoSuchLine() throws IOException {
        Files.writeString(file(), "# mine\nport 9000");
        ClusterSecret secret = ClusterSecret.generate();

        ConfigFile.writeClusterSecret(file(), secret, false);

        String after = Files.readString(file());
        assertThat(after).startsWith("# mine\nport 9000\n").endsWith("cluster_secret = " + secret.encoded() + "\n");
        DfsConfig config = DfsConfig.load(file());
        assertThat(config.requireClusterSecret()).isEqualTo(secret);
        assertThat(config.port()).isEqualTo(9000);
    }

    @Test
    void refusesToReplaceASecretWithoutForce() throws IOException {
        ClusterSecret first = ClusterSecret.generate();
        ConfigFile.writeClusterSecret(file(), first, false);
        String before = Files.readString(file());

        assertThatThrownBy(() -> ConfigFile.writeClusterSecret(file(), ClusterSecret.generate(), false))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file() + ": cluster_secret is already set")
                .hasMessageContaining("--force")
                .hasMessageNotContaining(first.encoded());
        assertThat(Files.readString(file())).isEqualTo(before);
    }

    @Test
    void tellsWhetherAFileSetsASecret() throws IOException {
        assertThat(ConfigFile.hasClusterSecret(file())).as("no file").isFalse();
        Files.writeString(file(), "# cluster_secret = commented out\ncluster_secret =\nport 9000\n");
        assertThat(ConfigFile.hasClusterSecret(file())).as("left empty").isFalse();

        ConfigFile.writeClusterSecret(file(), ClusterSecret.generate(), false);

        assertThat(ConfigFile.hasClusterSecret(file())).isTrue();
    }

    @Test
    void replacesASecretWithForceKeepingComments() throws IOException {
        ClusterSecret first = ClusterSecret.generate();
        Files.writeString(file(), "# keep me\ncluster_secret " + first.encoded() + "\n# and me\nport 1\n");
        ClusterSecret second = ClusterSecret.generate();

        ConfigFile.writeClusterSecret(file(), second, true);

        assertThat(Files.readString(file()))
                .isEqualTo("# keep me\ncluster_secret = " + second.encoded() + "\n# and me\nport 1\n");
    }

    @Test
    void forceAlsoReplacesAnInvalidSecret() throws IOException {
        Files.writeString(file(), "cluster_secret = not-a-secret\n");
        ClusterSecret secret = ClusterSecret.generate();

        ConfigFile.writeClusterSecret(file(), secret, true);

        assertThat(DfsConfig.load(file()).requireClusterSecret()).isEqualTo(secret);
    }

    @Test
    void keepsWindowsLineEndings() throws IOException {
        Files.writeString(file(), "# win\r\ncluster_secret =\r\nport 1\r\n");
        ClusterSecret secret = ClusterSecret.generate();

        ConfigFile.writeClusterSecret(file(), secret, false);

        assertThat(Files.readString(file())).isEqualTo("# win\r\ncluster_secret = " + secret.encoded() + "\r\nport 1\r\n");
    }

    @Test
    void replacesAContinuedSecretLineWithItsContinuation() throws IOException {
        Files.writeString(file(), "cluster_secret = AAAA\\\n    BBBB\nport 1\n");
        ClusterSecret secret = ClusterSecret.generate();

        ConfigFile.writeClusterSecret(file(), secret, true);

        assertThat(Files.readString(file())).isEqualTo("cluster_secret = " + secret.encoded() + "\nport 1\n");
    }

    @Test
    void leavesACommentedOutSecretAlone() throws IOException {
        Files.writeString(file(), "#cluster_secret = old\n");
        ClusterSecret secret = ClusterSecret.generate();

        ConfigFile.writeClusterSecret(file(), secret, false);

        assertThat(Files.readString(file())).startsWith("#cluster_secret = old\n")
                .endsWith("cluster_secret = " + secret.encoded() + "\n");
    }
}
