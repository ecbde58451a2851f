package dfs.master.cli;

import dfs.common.crypto.PassphraseSource;
import java.io.Console;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Where a command gets the master key's passphrase: the environment variable named by
 * {@code --passphrase-env} (default {@code DFS_PASSPHRASE}), for scripts, or else a prompt on the
 * terminal that does not echo. Passphrases are never printed, logged or put in an error message.
 * Stateless.
 */
final class Passphrases {
    static final String DEFAULT_ENV = "DFS_PASSPHRASE";

    private Passphrases() {}

    /** Reads an existing key file's passphrase from {@code env}, else asks on the terminal. */
    static PassphraseSource existing(String env) {
        return file -> {
            char[] fromEnv = fromEnvironment(env);
            if (fromEnv != null) {
                return fromEnv;
            }
            Console console = System.console();
            if (console == null) {
                throw noTerminal(file, env);
            }
            char[] typed = console.readPassword("Passphrase for the master key %s: ", file);
            if (typed == null) {
                throw new IOException("no passphrase given for the master key " + file);
            }
            return typed;
        };
    }

    /** A new passphrase from {@code env}, else typed twice on the terminal. */
    static char[] fresh(String env, Path file) throws IOException {
        char[] fromEnv = fromEnvironment(env);
        if (fromEnv != null) {
            return fromEnv;
        }
        Console console = System.console();
        if (console == null) {
            throw noTerminal(file, env);
        }
        char[] first = console.readPassword("New passphrase for the master key %s: ", file);
        char[] second = console.readPassword("Type it again: ");
        try {
            if (first == null || second == null || !Arrays.equals(first, second)) {
                throw new IllegalArgumentException("the two passphrases differ; nothing was created");
            }
            return first.clone();
        } finally {
            if (first != null) {
                Arrays.fill(first, '\0');
            }
            if (second != null) {
                Arrays.fill(second, '\0');
            }
        }
    }

    private static char[] fromEnvironment(String env) {
        String value = System.getenv(env);
        return value == null || value.isEmpty() ? null : value.toCharArray();
    }

    private static IOException noTerminal(Path file, String env) {
        return new IOException("the master key " + file + " needs a passphrase: set " + env
                + " or run the command on a terminal");
    }
}
