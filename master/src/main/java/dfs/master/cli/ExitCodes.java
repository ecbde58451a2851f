package dfs.master.cli;

/** The exit codes of every dfs command. */
final class ExitCodes {
    private ExitCodes() {}

    static final int OK = 0;
    /** The operation was attempted and failed (unreachable servers, missing file, integrity error). */
    static final int FAILED = 1;
    /** The command line or the configuration is wrong; nothing was attempted. */
    static final int USAGE = 2;
    /** Left by Ctrl-C (128 + SIGINT, as a shell reports a process that SIGINT ended). */
    static final int INTERRUPTED = 130;
}
