package dfs.common.crypto;

import java.nio.file.Path;

/**
 * The passphrase given does not open a protected master key file (or the file was altered: AES-GCM
 * cannot tell the two apart). Names the file, never the passphrase.
 */
public final class WrongPassphraseException extends IntegrityException {
    public WrongPassphraseException(Path file) {
        super("wrong passphrase for the master key file " + file
                + " (or the file was altered); nothing was changed");
    }
}
