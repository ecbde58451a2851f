package dfs.master.testing;

import dfs.master.transfer.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A transfer's progress that does something to the world once, before a given chunk: a pipeline
 * asks {@link #cancelled()} on its own thread before it reads each chunk, so the action happens
 * after chunk {@code n - 1} was read and before chunk {@code n} is, whatever the other threads do.
 */
public final class ActingProgress implements Progress {
    /** What the test does, on the pipeline's thread. */
    public interface Action {
        void run() throws IOException;
    }

    private final int chunk;
    private final Action action;
    private final AtomicInteger asked = new AtomicInteger();

    private ActingProgress(int chunk, Action action) {
        this.chunk = chunk;
        this.action = action;
    }

    public static ActingProgress beforeChunk(int n, Action action) {
        return new ActingProgress(n, action);
    }

    @Override
    public boolean cancelled() {
        if (asked.getAndIncrement() == chunk) {
            try {
                action.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return false;
    }
}
