package dfs.master.cli;

import dfs.common.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code dfs} command and its subcommands. */
@Command(name = "dfs", mixinStandardHelpOptions = true, versionProvider = DfsCommand.VersionProvider.class,
        description = {"A distributed file system for the local network: encrypted, replicated chunks over mutual TLS.",
            "", "Start here: './dfs local' runs a whole cluster on this machine."},
        subcommands = {InitCommand.class, LocalCommand.class, ChunkServerCommand.class, MasterCommand.class, BenchCommand.class,
            CommandLine.HelpCommand.class})
final class DfsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed; see 'dfs --help'");
    }

    /** The full command line: daemons, demo, and the file commands as one-shot subcommands. */
    static CommandLine commandLine() {
        CommandLine top = configure(new CommandLine(new DfsCommand()));
        FileCommands.addTo(top, new OneShotSession());
        return configure(top);
    }

    static CommandLine configure(CommandLine cl) {
        return cl.setExecutionExceptionHandler(Errors.handler())
                .setParameterExceptionHandler((ex, args) -> {
                    String name = ex.getCommandLine().getCommandSpec().qualifiedName().strip();
                    ex.getCommandLine().getErr().println("dfs: " + ex.getMessage()
                            + (name.isEmpty() ? " (see 'help')" : " (see '" + name + " --help')"));
                    return ExitCodes.USAGE;
                })
                .setUsageHelpAutoWidth(true);
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"dfs " + Version.CURRENT};
        }
    }
}
