package dfs.master.cli;

import dfs.common.config.DfsConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --config} option every command takes, and where the file is looked for by default. */
final class ConfigOption {
    static final String FILE_NAME = "dfs_setup.config";

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "configuration file (default: ./dfs_setup.config, else the one beside the dfs launcher)")
    Path file;

    /** The configuration file this command uses. */
    Path path() {
        if (file != null) {
            return file;
        }
        Path here = Path.of(FILE_NAME);
        if (Files.exists(here)) {
            return here;
        }
        String home = System.getenv("DFS_HOME");
        return home == null ? here : Path.of(home, FILE_NAME);
    }

    DfsConfig load() {
        return DfsConfig.load(path());
    }
}
