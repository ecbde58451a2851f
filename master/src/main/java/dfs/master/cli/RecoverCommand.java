package dfs.master.cli;

import dfs.master.Master;
import dfs.master.backup.MetadataCopies;
import java.io.IOException;
import picocli.CommandLine.Command;

/**
 * {@code recover}: after the master machine lost its metadata (a dead disk, a new machine), fills
 * an empty metadata from the newest copy the chunk servers hold. Needs the master key file: the
 * copies are sealed under it.
 */
@Command(name = "recover", mixinStandardHelpOptions = true,
        description = {"Restore the metadata from the chunk servers' copies after the master machine lost it.",
            "Every chunk server holds a copy of the metadata, sealed under the master key. With the master key"
                + " file in place (from a backup) and no metadata, this waits for the chunk servers, opens the"
                + " newest copy they hold and writes it as the metadata. Files stored after that copy are not in it."})
final class RecoverCommand extends FileCommands.FileCommand {
    RecoverCommand(Session session) {
        super(session);
    }

    @Override
    public Integer call() throws IOException {
        return session.with(config, true, Master::requireEmptyMetadata, master -> {
            MetadataCopies.Recovered r = master.recover();
            out().printf("recovered %d file%s from the metadata copy written %s, held by %s; 'fsck' checks them%n",
                    r.copy().files().size(), r.copy().files().size() == 1 ? "" : "s", Listing.time(r.copy().written()),
                    String.join(", ", r.holders()));
            r.older().forEach(o -> session.err().println("dfs: an older copy, not used: " + o));
            r.problems().forEach(p -> session.err().println("dfs: not used: " + p));
            return ExitCodes.OK;
        });
    }
}
