package dfs.master.transfer;

/**
 * Receives progress of one transfer, and may ask it to stop. Every method does nothing unless
 * overridden. Implementations must be thread-safe.
 */
public interface Progress {
    /** No progress shown. */
    Progress NONE = new Progress() {};

    default void start(String what, long totalBytes) {}

    default void advance(long bytes) {}

    default void finish() {}

    /**
     * Asked before each chunk, on the transfer's own thread: once true, the transfer stops taking
     * new chunks, lets those in flight end, undoes what it did (an upload deletes the chunks it
     * stored, a download its partial file) and throws {@link TransferCancelledException}.
     */
    default boolean cancelled() {
        return false;
    }
}
