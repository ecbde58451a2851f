package dfs.master.cli;

import dfs.master.keys.Rekey;
import java.io.IOException;
import picocli.CommandLine.Command;

/**
 * {@code rekey}: rotates the master key. Every file's data key is re-wrapped under a fresh master
 * key, which then replaces the key file; no chunk moves. Safe to interrupt: every file stays
 * readable, and running it again finishes the job.
 */
@Command(name = "rekey", mixinStandardHelpOptions = true,
        description = {"Rotate the master key; no chunk moves.",
            "Re-wraps every file's data key under a new master key, then replaces the master key file"
                + " with it (same passphrase, if any). Safe to interrupt; run it again to finish. Back up the"
                + " new key file afterwards: older copies no longer open anything."})
final class RekeyCommand extends FileCommands.FileCommand {
    RekeyCommand(Session session) {
        super(session);
    }

    @Override
    public Integer call() throws IOException {
        return session.with(config, false, master -> {
            Rekey.Result r = master.rekey();
            out().printf("rekeyed: %d file%s re-wrapped under a new master key%s; %s replaced, back it up now%n",
                    r.rewrapped(), r.rewrapped() == 1 ? "" : "s",
                    r.alreadyDone() > 0 ? " (" + r.alreadyDone() + " already were)" : "",
                    master.config().masterKeyFile());
            return ExitCodes.OK;
        });
    }
}
