package dfs.master.transfer;

/** Receives progress of one transfer. Implementations must be thread-safe. */
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
}
