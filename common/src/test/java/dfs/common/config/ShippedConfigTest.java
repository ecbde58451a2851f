package dfs.common.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The repository-root {@code dfs_setup.config} that users start from. */
class ShippedConfigTest {
    /** Maven runs the tests in the module folder, {@code common/}. */
    private static final Path SHIPPED = Path.of(System.getProperty("user.dir")).resolve("../dfs_setup.config");

    @Test
    void loadsCleanlyWithEveryDefaultAndNoSecret() {
        DfsConfig shipped = DfsConfig.load(SHIPPED);
        assertThat(shipped.clusterSecret()).isEmpty();
        assertThat(shipped).isEqualTo(DfsConfig.defaults(SHIPPED));
    }

    @Test
    void mentionsEveryKeyWithACommentAboveIt() throws IOException {
        List<String> lines = Files.readAllLines(SHIPPED);
        for (String key : DfsConfig.KEYS) {
            int at = -1;
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).matches("#?" + key + " =.*")) {
                    at = i;
                }
            }
            assertThat(at).as("a line setting %s", key).isPositive();
            assertThat(lines.get(at - 1)).as("the line above %s", key).startsWith("# ");
        }
    }

    @Test
    void isTheDefaultTextOnTheClasspath() throws IOException {
        assertThat(ConfigFile.defaultText()).isEqualTo(Files.readString(SHIPPED));
    }

    @Test
    void saysThatInitWritesTheSecret() throws IOException {
        assertThat(Files.readString(SHIPPED)).contains("'./dfs init' writes it");
    }
}
