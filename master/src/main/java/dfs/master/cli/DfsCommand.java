package dfs.master.cli;

import dfs.common.Version;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The top-level {@code dfs} command and its subcommands. Picocli reads a command's annotations,
 * options and mixins when the command is added, which took a tenth of a second for all of them:
 * more than a 1,000-file 'list'. So a command line that starts with a command's name gets only
 * that command; any other (none, help, a misspelt name that picocli suggests names for) gets all.
 */
@Command(name = "dfs", mixinStandardHelpOptions = true, versionProvider = DfsCommand.VersionProvider.class,
        description = {"A distributed file system for the local network: encrypted, replicated chunks over mutual TLS.",
            "", "Start here: './dfs local' runs a whole cluster on this machine."})
final class DfsCommand implements Runnable {
    /** The commands other than the file commands, in the order help lists them, before those. */
    private static final List<Class<?>> OTHERS = List.of(InitCommand.class, LocalCommand.class, ChunkServerCommand.class,
            MasterCommand.class, BenchCommand.class, CommandLine.HelpCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed; see 'dfs --help'");
    }

    /** The full command line: daemons, demo, and the file commands as one-shot subcommands. */
    static CommandLine commandLine() {
        return commandLine(new String[0]);
    }

    /** The command line that runs {@code args}: only their command, if they start with a command's name. */
    static CommandLine commandLine(String... args) {
        String first = args.length > 0 ? args[0] : "";
        List<Object> commands = new ArrayList<>(OTHERS);
        commands.addAll(FileCommands.all(new OneShotSession()));
        List<Object> named = commands.stream().filter(c -> names(c).contains(first) && !first.equals("help")).toList();
        CommandLine top = new CommandLine(new DfsCommand());
        (named.isEmpty() ? commands : named).forEach(top::addSubcommand);
        return configure(top);
    }

    /** The name and aliases of a command, from its annotation alone. */
    private static List<String> names(Object command) {
        Command c = (command instanceof Class<?> type ? type : command.getClass()).getAnnotation(Command.class);
        List<String> names = new ArrayList<>(List.of(c.aliases()));
        names.add(c.name());
        return names;
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

    /** This build's version, and the Java running it (the launcher picks the newest it finds). */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"dfs " + Version.CURRENT,
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.home") + ")"};
        }
    }
}
