package dfs.master.transfer;

import java.util.concurrent.ArrayBlockingQueue;

/**
 * Arrays of one size, reused between the chunks of one transfer. A chunk-sized array is a
 * several-megabyte allocation that the JVM zeroes and, being that large, places outside its young
 * generation; a transfer that cycles the same few arrays through its pipeline pays that once. Keeps
 * at most {@code capacity} idle arrays; an array of another size is never taken back. Thread-safe.
 */
final class BufferPool {
    private final int size;
    private final ArrayBlockingQueue<byte[]> idle;

    BufferPool(int size, int capacity) {
        this.size = size;
        this.idle = new ArrayBlockingQueue<>(capacity);
    }

    /** An array of exactly {@code length} bytes: a pooled one when {@code length} is the pool's size. */
    byte[] take(int length) {
        if (length == size) {
            byte[] pooled = idle.poll();
            if (pooled != null) {
                return pooled;
            }
        }
        return new byte[length];
    }

    /** Hands {@code array} back for reuse; its contents will be overwritten. */
    void give(byte[] array) {
        if (array.length == size) {
            idle.offer(array);
        }
    }
}
