package dfs.master.cli;

import picocli.CommandLine;

/** Entry point of the {@code dfs} command: every role (master, chunk server, demo) in one jar. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs one command line and returns its exit code: 0 done, 1 operation failed, 2 usage or configuration error. */
    public static int run(String... args) {
        return DfsCommand.commandLine().execute(args);
    }
}
