package dfs.master.cli;

import dfs.common.config.DfsConfig;
import dfs.master.Master;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code dfs master}: the interactive (or scripted) master console. */
@Command(name = "master", mixinStandardHelpOptions = true,
        description = {"The master console: finds chunk servers by itself and runs upload, download, list,",
            "delete and status. Reads commands from standard input when it is not a terminal."})
final class MasterCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Override
    public Integer call() throws Exception {
        DfsConfig cfg = config.load();
        try (Master master = OneShotSession.open(cfg, config.passphrases())) {
            master.awaitServers(cfg.numChunkServers(), cfg.discoveryTimeout());
            return new Console(master, System.console() != null).run();
        }
    }
}
