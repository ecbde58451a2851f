package dfs.master.transfer;

/**
 * Receives progress of one transfer, and may ask it to stop. Implementations must be thread-safe.
 */
public interface Progress {
    /** No progress shown. */
    Progress NONE = new Progress() {
        @Override
        public void start(String what, long totalBytes) {}

        @Override
        public void advance(long bytes) {}

        @Override
        public void finish() {}
    };

    void start(String what, long totalBytes);

    void advance(long bytes);

    void finish();

    /**
     * Asked before each chunk, on the transfer's own thread: once true, the transfer stops taking
     * new chunks, lets those in flight end, undoes what it did (an upload deletes the chunks it
     * stored, a download its partial file) and throws {@link TransferCancelledException}.
     */
    default boolean cancelled() {
        return false;
    }
}
