package dfs.master.metadata;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waiting for metadata work on another thread, which always ends soon and must not be abandoned. */
final class Uninterruptibly {
    private Uninterruptibly() {}

    /**
     * The result of {@code task}, waiting through interrupts (and keeping the interrupt for the
     * caller); what the task threw is thrown as it was, an {@link IOException} included.
     */
    static <T> T get(Future<T> task) throws IOException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("metadata work failed", cause); // only checked exceptions remain
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
