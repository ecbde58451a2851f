package dfs.master.transfer;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Forces a file to disk in the background while it is still being written, so that the force
 * that ends the write has little left to wait for. Without it a download writes its whole file
 * into the page cache and then stalls, CPUs idle, while the disk takes all of it at once (over a
 * second for a gigabyte).
 *
 * <p>After every {@code every} bytes written, one {@link FileChannel#force force} of the data
 * written so far starts on {@code executor}, unless the previous one still runs. A background
 * force that fails is reported by {@link #finish}, which forces the rest and waits for it. Meant
 * for one writing thread; the forces run beside it.
 */
final class BackgroundSync {
    private final FileChannel channel;
    private final long every;
    private final Executor executor;
    private final Object lock = new Object();
    private long sinceLast;
    private boolean running;
    private IOException failure;

    BackgroundSync(FileChannel channel, long every, Executor executor) {
        if (every < 1) {
            throw new IllegalArgumentException("background sync every " + every + " bytes");
        }
        this.channel = channel;
        this.every = every;
        this.executor = executor;
    }

    /** Counts {@code bytes} just written; may start a background force. */
    void written(long bytes) {
        sinceLast += bytes;
        if (sinceLast < every) {
            return;
        }
        synchronized (lock) {
            if (running) {
                return; // the running force takes these bytes too, or the next one will
            }
            running = true;
        }
        sinceLast = 0;
        try {
            executor.execute(this::force);
        } catch (RejectedExecutionException e) {
            synchronized (lock) {
                running = false; // the final force covers it
            }
        }
    }

    private void force() {
        IOException failed = null;
        try {
            channel.force(false);
        } catch (IOException e) {
            failed = e;
        }
        synchronized (lock) {
            if (failed != null && failure == null && channel.isOpen()) {
                failure = failed;
            }
            running = false;
            lock.notifyAll();
        }
    }

    /**
     * Forces everything written, data and metadata, after any background force has ended.
     *
     * @throws IOException if this or an earlier background force failed
     */
    void finish() throws IOException {
        synchronized (lock) {
            boolean interrupted = false;
            while (running) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (failure != null) {
                throw failure;
            }
        }
        channel.force(true);
    }
}
