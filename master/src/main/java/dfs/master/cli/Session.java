package dfs.master.cli;

import dfs.master.Master;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * Where a file command gets its master: the console's running one, or, for a one-shot command,
 * one started from the configuration just for that command.
 */
interface Session {
    /** Runs {@code action} with a master; {@code needsServers} waits for chunk servers first. */
    <T> T with(ConfigOption config, boolean needsServers, MasterAction<T> action) throws IOException;

    /** Whether progress may be drawn as a redrawing bar. */
    boolean terminal();

    /** Where results go. */
    PrintWriter out();

    /** Where notes and errors go. */
    PrintWriter err();

    @FunctionalInterface
    interface MasterAction<T> {
        T run(Master master) throws IOException;
    }
}
