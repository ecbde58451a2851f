package dfs.master.transfer;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Writes a downloaded file chunk after chunk and forces it to disk at the end.
 *
 * <p>A file of at least {@link #DIRECT_FROM} bytes whose chunk size is a multiple of the file
 * system's block size is written around the page cache (O_DIRECT), where the file system allows
 * it: the disk takes each chunk from the process's own memory (two chunks at a time, in the
 * background), so the master neither copies the file into the page cache nor has it written back
 * later. Measured on a 2-core VM, that copy was the largest cost of a download after the two
 * decryptions, and it swung tenfold with the state of the machine's memory. The last chunk, rarely
 * a multiple of the block size, is padded with zeros and the file then cut to its length. Each
 * chunk is copied into a block-aligned direct buffer taken from {@link AlignedBuffers} and handed
 * back when the writer closes: handed an array, JDK 17 would use a temporary aligned buffer from
 * its thread's cache, then fail to free it, breaking later socket reads on that thread.
 *
 * <p>Elsewhere (a small file, a file system that refuses O_DIRECT, an odd chunk size) the file goes
 * through the page cache. Either way it is forced to disk in the background every
 * {@link #SYNC_EVERY} bytes, so that the final force has little left to wait for: a disk may take
 * O_DIRECT writes into a cache of its own too (a virtual disk into its host's page cache), and on
 * a 2-core VM the force after 1 GiB written so took 0.9-1.1 s, as long as the writes themselves.
 * Meant for one calling thread.
 */
final class ChunkFileWriter implements Closeable {
    /** Chunks written at once: a disk with requests queued is not idle between two of them. */
    static final int WRITES_IN_FLIGHT = 2;
    /** Files from this size bypass the page cache; below it the copy is cheap and a synchronous write is not. */
    static final long DIRECT_FROM = 1024 * 1024;
    /** Bytes written between background forces. */
    static final long SYNC_EVERY = 32L * 1024 * 1024;

    private final FileChannel channel;
    private final int block; // 0 when writing through the page cache
    private final BackgroundSync sync;
    private final Executor io;
    private final Deque<Write> pending = new ArrayDeque<>();
    private final ArrayBlockingQueue<AlignedBuffers.Slot> idleSlots = new ArrayBlockingQueue<>(WRITES_IN_FLIGHT);
    private final List<AlignedBuffers.Slot> taken = new ArrayList<>();
    private final AlignedBuffers buffers;
    private final int slotSize;
    private long position;

    private ChunkFileWriter(FileChannel channel, int block, int slotSize, long syncEvery, Executor io,
            AlignedBuffers buffers) {
        this.channel = channel;
        this.block = block;
        this.slotSize = slotSize;
        this.buffers = buffers;
        this.sync = new BackgroundSync(channel, syncEvery, io);
        this.io = io;
    }

    /**
     * Opens {@code file}, which exists and is empty, for {@code size} bytes in chunks of
     * {@code chunkSize}.
     *
     * @param io runs the writes and background forces
     */
    static ChunkFileWriter open(Path file, long size, int chunkSize, Executor io) throws IOException {
        return open(file, size, chunkSize, SYNC_EVERY, io);
    }

    /** As {@link #open(Path, long, int, Executor)}, forcing in the background every {@code syncEvery} bytes. */
    static ChunkFileWriter open(Path file, long size, int chunkSize, long syncEvery, Executor io) throws IOException {
        return open(file, size, chunkSize, syncEvery, io, AlignedBuffers.SHARED);
    }

    /** As {@link #open(Path, long, int, long, Executor)}, with the aligned buffers taken from {@code buffers}. */
    static ChunkFileWriter open(Path file, long size, int chunkSize, long syncEvery, Executor io,
            AlignedBuffers buffers) throws IOException {
        long block = size >= DIRECT_FROM ? Files.getFileStore(file).getBlockSize() : 0; // reads the mount table
        if (block > 0 && block <= chunkSize && chunkSize % block == 0) {
            int slotSize = (int) ((Math.min(size, chunkSize) + block - 1) / block * block);
            ChunkFileWriter direct = null;
            try {
                FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
                direct = new ChunkFileWriter(channel, (int) block, slotSize, syncEvery, io, buffers);
                AlignedBuffers.Slot probe = direct.slot(); // some file systems accept O_DIRECT, then refuse the first write
                direct.channel.write(probe.aligned().limit((int) block), 0);
                direct.idleSlots.add(probe);
                return direct;
            } catch (IOException | UnsupportedOperationException refused) {
                if (direct != null) {
                    direct.close();
                }
            }
        }
        FileChannel buffered = FileChannel.open(file, StandardOpenOption.WRITE);
        return new ChunkFileWriter(buffered, 0, 0, syncEvery, io, buffers);
    }

    /** An idle aligned buffer of {@code slotSize} bytes: this writer's, else one taken from the pool. */
    private AlignedBuffers.Slot slot() {
        AlignedBuffers.Slot idle = idleSlots.poll();
        if (idle != null) {
            return idle;
        }
        AlignedBuffers.Slot slot = buffers.take(slotSize, block);
        taken.add(slot);
        return slot;
    }

    /** True when the file bypasses the page cache. */
    boolean direct() {
        return block > 0;
    }

    /**
     * Writes {@code bytes} after those handed before. Around the page cache the write runs in the
     * background, once fewer than {@link #WRITES_IN_FLIGHT} run; through it, the copy into the page
     * cache is done here. Only a file's last chunk may be shorter than the chunk size.
     *
     * @param release runs once {@code bytes} is written and may be reused
     * @throws IOException if this or an earlier write failed
     */
    void write(byte[] bytes, Runnable release) throws IOException {
        long at = position;
        position += bytes.length;
        if (!direct()) {
            writeFully(ByteBuffer.wrap(bytes), at);
            release.run();
            sync.written(bytes.length);
            return;
        }
        while (pending.size() >= WRITES_IN_FLIGHT) {
            Write oldest = pending.removeFirst();
            await(oldest.done());
            sync.written(oldest.bytes()); // on the disk now, or in its cache until a force
        }
        AlignedBuffers.Slot slot = slot();
        ByteBuffer buf = slot.aligned();
        pending.addLast(new Write(CompletableFuture.runAsync(() -> {
            buf.clear().put(bytes);
            while (buf.position() % block != 0) {
                buf.put((byte) 0); // pads a last chunk to whole blocks
            }
            try {
                writeFully(buf.flip(), at);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            idleSlots.offer(slot);
            release.run();
        }, io), bytes.length));
    }

    private void writeFully(ByteBuffer buf, long at) throws IOException {
        long offset = at;
        while (buf.hasRemaining()) {
            offset += channel.write(buf, offset);
        }
    }

    /**
     * Waits for every write, cuts the file to the bytes handed (a last chunk's padding, say) and
     * forces it to disk.
     *
     * @throws IOException if a write or force failed
     */
    void finish() throws IOException {
        while (!pending.isEmpty()) {
            await(pending.removeFirst().done());
        }
        if (channel.size() != position) {
            channel.truncate(position);
        }
        sync.finish();
    }

    private static void await(CompletableFuture<Void> write) throws IOException {
        try {
            UploadPipeline.join(write);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Waits for the writes still running, whatever their outcome, closes the file and hands the buffers back. */
    @Override
    public void close() throws IOException {
        for (Write write : pending) {
            write.done().exceptionally(e -> null).join();
        }
        pending.clear();
        try {
            channel.close();
        } finally {
            taken.forEach(buffers::give);
            taken.clear();
            idleSlots.clear();
        }
    }

    /** A chunk being written around the page cache, and its length. */
    private record Write(CompletableFuture<Void> done, int bytes) {}
}
