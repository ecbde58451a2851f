package dfs.master.cli;

import dfs.common.config.DfsConfig;
import dfs.common.crypto.PassphraseSource;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The {@code --config} option every command takes, where the file is looked for by default, and
 * {@code --passphrase-env}, which says where a passphrase-protected master key's passphrase is.
 */
final class ConfigOption {
    static final String FILE_NAME = "dfs_setup.config";

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "configuration file (default: ./dfs_setup.config, else the one beside the dfs launcher)")
    Path file;

    @Option(names = "--passphrase-env", paramLabel = "VAR", defaultValue = Passphrases.DEFAULT_ENV,
            description = "environment variable holding the master key's passphrase, if it has one"
                    + " (default: ${DEFAULT-VALUE}; else it is asked for on the terminal)")
    String passphraseEnv = Passphrases.DEFAULT_ENV;

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

    /** Where this command gets the master key's passphrase, should the key file have one. */
    PassphraseSource passphrases() {
        return Passphrases.existing(passphraseEnv);
    }

    DfsConfig load() {
        return DfsConfig.load(path());
    }
}
