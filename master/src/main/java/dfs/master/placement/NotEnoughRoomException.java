package dfs.master.placement;

import dfs.common.config.ByteSize;
import dfs.master.cluster.ServerStatus;
import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The live chunk servers surely cannot hold an upload: its sealed bytes, on {@code replication}
 * distinct servers each, exceed the {@link ReplicaPlacement#room room} their reported free space
 * leaves. Raised before anything is stored.
 */
public class NotEnoughRoomException extends IOException {

    public NotEnoughRoomException(String what, long bytes, int replication, List<ServerStatus> live, long room) {
        super("not enough room for " + what + ": its " + ByteSize.human(bytes) + " must be stored on " + replication
                + " different chunk servers each, and the " + live.size() + " live ones have room for "
                + ByteSize.human(room) + " (free above their reserve_space: "
                + live.stream().map(s -> ByteSize.human(s.freeBytes())).collect(Collectors.joining(", "))
                + shared(live) + "); free space on them or add a chunk server");
    }

    /** How many disks the servers share, when some share one: what their free space adds up to. */
    private static String shared(List<ServerStatus> live) {
        int disks = ReplicaPlacement.disks(live);
        return disks < live.size() ? ", on " + disks + " disk" + (disks == 1 ? "" : "s") + " they share" : "";
    }
}
