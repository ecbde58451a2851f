package dfs.master.cli;

import dfs.common.config.DfsConfig;
import dfs.master.Master;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code dfs master}: the interactive (or scripted) master console. */
@Command(name = "master", mixinStandardHelpOptions = true,
        description = {"The master console: upload, download, list, delete, status and more.",
            "Finds chunk servers by itself. Reads commands from standard input when it is not a"
                + " terminal."})
final class MasterCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Override
    public Integer call() throws Exception {
        DfsConfig cfg = config.load();
        try (Master master = OneShotSession.open(cfg, config.passphrases())) {
            return new Console(master, System.console() != null).run();
        }
    }
}
