package dfs.master.placement;

import java.io.IOException;

/** Fewer live chunk servers than the replicas asked for. Carries both numbers. */
public class NotEnoughServersException extends IOException {
    private final int needed;
    private final int available;

    public NotEnoughServersException(int needed, int available) {
        super("need " + needed + " live chunk servers for replication factor " + needed + ", but "
                + available + (available == 1 ? " is" : " are") + " available: start more chunk servers"
                + " or lower replication_factor in dfs_setup.config");
        this.needed = needed;
        this.available = available;
    }

    public int needed() {
        return needed;
    }

    public int available() {
        return available;
    }
}
