package dfs.master.metadata;

import java.io.IOException;

/**
 * A write of several changes ({@link MetadataStore#putAll} and its kind) failed part-way. The
 * first {@link #durable()} changes are on disk and applied. The next {@link #unknown()} were in
 * the journal line being written: a restart finds them all applied or none, as the disk has it;
 * until then the store takes no change. The rest were not written.
 */
public final class StoppedChangesException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int durable;
    private final int total;
    private final int unknown;

    StoppedChangesException(int durable, int total, int unknown, IOException cause) {
        super(cause.getMessage(), cause);
        this.durable = durable;
        this.total = total;
        this.unknown = unknown;
    }

    /** Changes durable and applied before the failure. */
    public int durable() {
        return durable;
    }

    /** Changes asked for. */
    public int total() {
        return total;
    }

    /** Changes in the line that failed: applied or not, as a restart will find. */
    public int unknown() {
        return unknown;
    }
}
