package dfs.common.crypto;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where the passphrase of a protected master key file comes from: a terminal prompt, an
 * environment variable, a test. Asked only when a file turns out to be protected. The caller of
 * {@link #passphrase} owns the returned array and clears it when done.
 */
@FunctionalInterface
public interface PassphraseSource {
    /** A source for unprotected files only: asking it fails with a message that says what to do. */
    PassphraseSource NONE = file -> {
        throw new IOException("master key file " + file + " is protected by a passphrase,"
                + " and none can be asked for here: set DFS_PASSPHRASE or run the command on a terminal");
    };

    /**
     * The passphrase for {@code file}.
     *
     * @throws IOException if no passphrase can be had (no terminal, no variable set)
     */
    char[] passphrase(Path file) throws IOException;

    /** A fixed passphrase (scripts and tests); each call returns a fresh copy. */
    static PassphraseSource of(char[] passphrase) {
        char[] copy = passphrase.clone();
        return file -> copy.clone();
    }
}
