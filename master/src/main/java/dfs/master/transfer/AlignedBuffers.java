package dfs.master.transfer;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Block-aligned direct buffers for files written around the page cache, reused by every download
 * of the process. Java 17 has no public way to free a direct buffer: its native memory goes back
 * only when the collector finds the buffer unreachable, which in an old generation that seldom
 * fills can take many downloads. So writers hand their buffers back here, and the pool keeps up to
 * {@code maxIdle} of them, dropping any beyond. Thread-safe.
 */
final class AlignedBuffers {
    /** Two writes in flight for each of a few large files downloaded at once. */
    static final AlignedBuffers SHARED = new AlignedBuffers(8);

    /** A buffer of a requested size at a block-aligned address, and the allocation holding it. */
    record Slot(ByteBuffer aligned, ByteBuffer whole) {}

    private final int maxIdle;
    private final ConcurrentLinkedQueue<ByteBuffer> idle = new ConcurrentLinkedQueue<>();
    private final AtomicInteger idleCount = new AtomicInteger();
    private final AtomicInteger allocations = new AtomicInteger();

    AlignedBuffers(int maxIdle) {
        this.maxIdle = maxIdle;
    }

    /**
     * A cleared buffer of exactly {@code size} bytes whose address is a multiple of {@code block}
     * (a power of two): an idle one that can hold it, else a new allocation.
     */
    Slot take(int size, int block) {
        for (int looked = idleCount.get(); looked > 0; looked--) {
            ByteBuffer whole = idle.poll();
            if (whole == null) {
                break;
            }
            idleCount.decrementAndGet();
            ByteBuffer aligned = whole.clear().alignedSlice(block);
            if (aligned.capacity() >= size) {
                return new Slot(aligned.limit(size).slice(), whole);
            }
            give(whole); // too small for this file; another may want it
        }
        allocations.incrementAndGet();
        ByteBuffer whole = ByteBuffer.allocateDirect(size + block);
        return new Slot(whole.alignedSlice(block).limit(size).slice(), whole);
    }

    /** Hands a slot back once nothing reads or writes it any more. */
    void give(Slot slot) {
        give(slot.whole());
    }

    private void give(ByteBuffer whole) {
        if (idleCount.incrementAndGet() <= maxIdle) {
            idle.offer(whole);
        } else {
            idleCount.decrementAndGet(); // left to the collector
        }
    }

    /** Buffers allocated so far, for tests. */
    int allocations() {
        return allocations.get();
    }
}
