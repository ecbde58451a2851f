package dfs.master.cli;

import dfs.master.Master;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import dfs.master.metadata.FileRecord;

/**
 * Where a file command gets its master: the console's running one, or, for a one-shot command,
 * one started from the configuration just for that command.
 */
interface Session {
    /** Runs {@code action} with a master; {@code needsServers} waits for chunk servers first. */
    <T> T with(ConfigOption config, boolean needsServers, MasterAction<T> action) throws IOException;

    /** Runs {@code action} on the stored files, sorted by name: it needs no keys and no servers. */
    default <T> T withFiles(ConfigOption config, FilesAction<T> action) throws IOException {
        return with(config, false, master -> action.run(master.list()));
    }

    /** Whether progress may be drawn as a redrawing bar. */
    boolean terminal();

    /** Where results go. */
    PrintWriter out();

    /** Where notes and errors go. */
    PrintWriter err();

    @FunctionalInterface
    interface FilesAction<T> {
        T run(List<FileRecord> files) throws IOException;
    }

    @FunctionalInterface
    interface MasterAction<T> {
        T run(Master master) throws IOException;
    }
}
