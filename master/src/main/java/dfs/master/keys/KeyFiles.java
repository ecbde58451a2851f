package dfs.master.keys;

import dfs.common.crypto.MasterKey;
import dfs.common.crypto.MasterKeyFile;
import dfs.common.crypto.MasterKeySet;
import dfs.common.crypto.PassphraseSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * The master key files of one master: {@code master.key}, and {@code master.key.next} while a key
 * rotation is under way (written durably before any file is re-wrapped, removed by the atomic
 * rename that ends the rotation). The passphrase of protected files is asked for once and then
 * remembered for this object's lifetime, so a rotation writes the next key under the same
 * passphrase without asking again. Thread-safe.
 */
public final class KeyFiles {
    private final Path file;
    private final Path next;
    private final PassphraseSource passphrases;
    private char[] remembered;

    /** The key file {@code file}; {@code passphrases} is asked only if it is protected. */
    public KeyFiles(Path file, PassphraseSource passphrases) {
        this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
        this.next = this.file.resolveSibling(this.file.getFileName() + ".next");
        this.passphrases = Objects.requireNonNull(passphrases, "passphrases");
    }

    /** The master key file. */
    public Path file() {
        return file;
    }

    /** Where the next key waits while a rotation is under way. */
    public Path nextFile() {
        return next;
    }

    /** The current key, and the next one if a rotation was interrupted. */
    public synchronized MasterKeySet load() throws IOException {
        MasterKey current = MasterKeyFile.load(file, this::passphrase);
        if (!Files.exists(next)) {
            return MasterKeySet.of(current);
        }
        return MasterKeySet.rotating(current, MasterKeyFile.load(next, this::passphrase));
    }

    /**
     * The key a rotation moves to: the one already waiting in {@link #nextFile()}, or a new key
     * written there durably (same protection as the current file) before this returns.
     */
    synchronized MasterKey beginRotation() throws IOException {
        if (Files.exists(next)) {
            return MasterKeyFile.load(next, this::passphrase);
        }
        MasterKey key = MasterKeyFile.load(file, this::passphrase).successor(); // the same master id
        char[] passphrase = MasterKeyFile.isProtected(file) ? passphrase(file) : null;
        try {
            MasterKeyFile.write(next, key, passphrase);
        } finally {
            if (passphrase != null) {
                Arrays.fill(passphrase, '\0');
            }
        }
        return key;
    }

    /** Ends a rotation: the next key replaces the current one, atomically and durably. */
    synchronized void finishRotation() throws IOException {
        MasterKeyFile.replace(next, file);
    }

    private synchronized char[] passphrase(Path asking) throws IOException {
        if (remembered == null) {
            remembered = passphrases.passphrase(asking);
        }
        return remembered.clone();
    }

    @Override
    public String toString() {
        return "KeyFiles[" + file + "]";
    }
}
