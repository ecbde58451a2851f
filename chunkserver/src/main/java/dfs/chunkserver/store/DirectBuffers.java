package dfs.chunkserver.store;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * Direct buffers of one size, a few kept idle for reuse: allocating one costs more than moving its
 * bytes (it is zeroed, and freed only by a garbage collection). A direct buffer goes between a
 * channel and the kernel as it is, where the JDK copies a heap buffer through a direct one of its
 * own on every read and write. Thread-safe.
 */
public final class DirectBuffers {
    private final int size;
    private final ArrayBlockingQueue<ByteBuffer> idle;

    /**
     * @param size the capacity of every buffer
     * @param kept how many idle buffers are kept at most; more are allocated when asked for, and
     *     dropped when given back
     */
    public DirectBuffers(int size, int kept) {
        this.size = size;
        this.idle = new ArrayBlockingQueue<>(kept);
    }

    /** An idle buffer, or a new one, cleared. */
    public ByteBuffer take() {
        ByteBuffer buf = idle.poll();
        return buf != null ? buf.clear() : ByteBuffer.allocateDirect(size);
    }

    /** Keeps {@code buf} for a later {@link #take} if there is room. Only once nothing still uses it. */
    public void give(ByteBuffer buf) {
        idle.offer(buf);
    }
}
