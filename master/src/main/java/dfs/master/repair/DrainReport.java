package dfs.master.repair;

import dfs.master.cluster.ServerStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What draining one chunk server did: copies moved off it, and what stayed. Immutable.
 *
 * @param server the server drained, as it was when the drain started
 * @param moved copies moved to other servers (each recorded there, and deleted from the server)
 * @param failed the last round's outcomes for chunks whose copy could not leave the server
 * @param left chunks still recorded on the server when the drain ended
 */
public record DrainReport(ServerStatus server, long moved, List<RepairOutcome> failed, int left) {
    public DrainReport {
        Objects.requireNonNull(server, "server");
        failed = List.copyOf(failed);
    }

    /** Whether the metadata records no copy on the server any more: it can be stopped. */
    public boolean done() {
        return left == 0;
    }

    /** The report as a person reads it: one line per chunk that stayed, then a summary. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        failed.forEach(o -> out.add("drain: " + o.describe()));
        String who = server.describe();
        if (done()) {
            out.add(String.format("%s drained: %d cop%s moved to other servers; no file needs it now, and no master"
                    + " stores new chunks on it ('drain --undo' takes it back): stop it", who, moved, moved == 1 ? "y" : "ies"));
        } else {
            out.add(String.format("%s not drained: %d cop%s moved, %d chunk%s still have a copy there; start another"
                    + " chunk server or free space on the others, then drain it again", who, moved, moved == 1 ? "y"
                    : "ies", left, left == 1 ? "" : "s"));
        }
        return out;
    }
}
