package dfs.master.cli;

import dfs.master.Master;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import dfs.master.metadata.FileRecord;
import dfs.master.metadata.FileSummary;

/**
 * Where a file command gets its master: the console's running one, or, for a one-shot command,
 * one started from the configuration just for that command.
 */
interface Session {
    /**
     * Runs {@code action} with a master. A one-shot master with {@code needsServers} runs
     * {@code check} first and only then waits for chunk servers, so a mistyped argument fails at
     * once instead of after the wait.
     */
    <T> T with(ConfigOption config, boolean needsServers, Check check, MasterAction<T> action) throws IOException;

    /** As {@link #with(ConfigOption, boolean, Check, MasterAction)}, with nothing to check first. */
    default <T> T with(ConfigOption config, boolean needsServers, MasterAction<T> action) throws IOException {
        return with(config, needsServers, master -> {}, action);
    }

    /** Runs {@code action} on the stored files, sorted by name: it needs no keys and no servers. */
    default <T> T withFiles(ConfigOption config, FilesAction<T> action) throws IOException {
        return with(config, false, master -> action.run(master.list().stream().map(FileRecord::summary).toList()));
    }

    /** Whether the user asked to cancel the running command (Ctrl-C in the console). */
    default boolean cancelRequested() {
        return false;
    }

    /** Whether progress may be drawn as a redrawing bar. */
    boolean terminal();

    /** Where results go. */
    PrintWriter out();

    /** Where notes and errors go. */
    PrintWriter err();

    @FunctionalInterface
    interface FilesAction<T> {
        T run(List<FileSummary> files) throws IOException;
    }

    /** What a command can tell of its arguments from the configuration and the metadata alone. */
    @FunctionalInterface
    interface Check {
        /** Throws, with the message the user sees, if the command cannot succeed. */
        void run(Master master) throws IOException;
    }

    @FunctionalInterface
    interface MasterAction<T> {
        T run(Master master) throws IOException;
    }
}
