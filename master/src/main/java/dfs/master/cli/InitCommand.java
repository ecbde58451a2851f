package dfs.master.cli;

import dfs.common.config.ClusterSecret;
import dfs.common.config.ConfigFile;
import dfs.common.config.DfsConfig;
import dfs.common.crypto.MasterKeyFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dfs init}: writes a fresh cluster credential into the config, unless it has one, and
 * creates the master key if missing; run again, it changes nothing.
 */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = {"Prepare a cluster: a fresh cluster secret and the master key.",
            "Writes a fresh random cluster_secret into the configuration (creating it from the"
                + " commented default if missing; a secret already there is kept unless --force) and creates"
                + " the master key file (mode 0600) if missing. Then copy the configuration to every chunk"
                + " server machine; the master key stays here."})
final class InitCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(names = "--force", description = "replace an existing cluster_secret (every machine then needs the new file)")
    boolean force;

    @Option(names = "--passphrase", description = "protect a new master key with a passphrase (Argon2id): asked for"
            + " twice on the terminal, or taken from the variable named by --passphrase-env")
    boolean passphrase;

    @Override
    public Integer call() throws Exception {
        Path file = config.path();
        boolean joined = !force && ConfigFile.hasClusterSecret(file);
        if (joined) {
            // a configuration copied from another machine of the cluster: this machine joins it
            System.out.println("kept the cluster_secret already in " + file.toAbsolutePath()
                    + " (--force replaces it; every machine then needs the new file)");
        } else {
            ConfigFile.writeClusterSecret(file, ClusterSecret.generate(), force);
            System.out.println("wrote a new cluster_secret to " + file.toAbsolutePath()
                    + ": copy this file to every chunk server machine");
        }
        DfsConfig cfg = DfsConfig.load(file);
        if (Files.exists(cfg.masterKeyFile())) {
            System.out.println("kept the existing master key " + cfg.masterKeyFile()
                    + (passphrase ? " as it is: --passphrase only applies to a new key" : ""));
        } else {
            char[] secret = passphrase ? Passphrases.fresh(config.passphraseEnv, cfg.masterKeyFile()) : null;
            try {
                MasterKeyFile.create(cfg.masterKeyFile(), secret);
            } finally {
                if (secret != null) {
                    java.util.Arrays.fill(secret, '\0');
                }
            }
            System.out.println("created the master key " + cfg.masterKeyFile() + " (mode 0600"
                    + (passphrase ? ", protected by your passphrase" : "")
                    + "): keep it on this machine only, and back it up");
            if (joined) {
                System.out.println("if this cluster already has a master on another machine, delete this new key and"
                        + " run master commands there: two masters, each with files of its own, take each other's"
                        + " chunks for orphans; to move the master here, copy its master.key and metadata_uploaded.json"
                        + " files instead");
            }
        }
        return ExitCodes.OK;
    }
}
