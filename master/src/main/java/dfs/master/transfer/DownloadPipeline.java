package dfs.master.transfer;

import dfs.common.crypto.ChunkSeal;
import dfs.common.crypto.Bindings;
import dfs.common.crypto.IntegrityException;
import dfs.common.crypto.SecretKey256;
import dfs.common.crypto.Sha256;
import dfs.common.io.AtomicFiles;
import dfs.common.wire.NodeId;
import dfs.master.cluster.ChunkClient;
import dfs.master.cluster.ChunkServerException;
import dfs.master.cluster.ServerRegistry;
import dfs.master.cluster.ServerStatus;
import dfs.master.metadata.ChunkRecord;
import dfs.master.metadata.FileRecord;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads one file: fetch chunks (several in flight) → open each replica (decrypt and
 * authenticate) → fall over to another replica when one is corrupt or unreachable → write
 * in order to a hidden partial file ({@link PartialFiles}) → check its size → rename into place.
 * A partial or unverified file is never left under the destination name.
 *
 * <p>The whole file is not hashed again: AES-GCM authenticates every byte of every chunk, and
 * each chunk's associated data binds it to its file, its index and the chunk count (with the
 * size and layout bound to the file's key), so chunks that all open, written in index order, are
 * exactly the plaintext that was uploaded. A second SHA-256 over it would add a third of the
 * download's CPU and catch nothing more. Thread-safe.
 */
public final class DownloadPipeline {
    private static final Logger log = LoggerFactory.getLogger(DownloadPipeline.class);

    private final ServerRegistry registry;
    private final ChunkClient client;
    private final int maxInFlight;
    private final Executor cpu;
    private final Executor io;

    /**
     * @param cpu opens (decrypts) chunks
     * @param io runs the background forces of files being written
     */
    public DownloadPipeline(ServerRegistry registry, ChunkClient client, int maxInFlight, Executor cpu, Executor io) {
        this.registry = registry;
        this.client = client;
        this.maxInFlight = maxInFlight;
        this.cpu = cpu;
        this.io = io;
    }

    /**
     * Writes the file described by {@code file} to {@code destination}, replacing it atomically.
     *
     * @return replicas found corrupt or unavailable on the way (the download succeeded without them)
     */
    public List<BadReplica> download(FileRecord file, SecretKey256 dataKey, Path destination, Progress progress)
            throws IOException {
        Path dir = destination.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = PartialFiles.create(dir, destination.getFileName().toString());
        ConcurrentLinkedQueue<BadReplica> bad = new ConcurrentLinkedQueue<>();
        Deque<CompletableFuture<byte[]>> window = new ArrayDeque<>();
        Buffers buffers = new Buffers(new BufferPool(file.chunkSize(), maxInFlight + 1),
                new BufferPool(ChunkSeal.sealedLength(file.chunkSize()), maxInFlight + 1));
        progress.start(file.name(), file.size());
        try (ChunkFileWriter out = ChunkFileWriter.open(tmp, file.size(), file.chunkSize(), io)) {
            long written = 0;
            int next = 0;
            for (int i = 0; i < file.chunkCount(); i++) {
                if (progress.cancelled()) {
                    throw new TransferCancelledException("download of " + file.name() + " cancelled; nothing was written");
                }
                while (next < file.chunkCount() && next < i + maxInFlight) {
                    window.addLast(fetch(file, dataKey, file.chunks().get(next), buffers, bad));
                    next++;
                }
                byte[] plain = UploadPipeline.join(window.removeFirst());
                out.write(plain, () -> buffers.plain().give(plain));
                written += plain.length;
                progress.advance(plain.length);
            }
            if (written != file.size()) {
                throw new IntegrityException("file " + file.name() + " reassembled to " + written
                        + " bytes, not its recorded " + file.size() + "; nothing was written");
            }
            out.finish();
        } catch (IOException | RuntimeException e) {
            window.forEach(f -> f.cancel(true));
            Files.deleteIfExists(tmp);
            PartialFiles.release(tmp);
            throw e;
        } finally {
            progress.finish();
        }
        try {
            AtomicFiles.commit(tmp, destination);
        } finally {
            Files.deleteIfExists(tmp);
            PartialFiles.release(tmp);
        }
        return List.copyOf(bad);
    }

    /** Fetches, verifies and opens one chunk, trying its replicas in turn: live servers first. */
    private CompletableFuture<byte[]> fetch(FileRecord file, SecretKey256 key, ChunkRecord chunk, Buffers buffers,
            ConcurrentLinkedQueue<BadReplica> bad) {
        List<NodeId> order = new ArrayList<>(chunk.servers());
        order.sort(Comparator.comparing((NodeId n) -> !registry.statusOf(n).map(ServerStatus::isLive).orElse(false)));
        return tryReplica(file, key, chunk, order, 0, buffers, bad, new ArrayList<>());
    }

    private CompletableFuture<byte[]> tryReplica(FileRecord file, SecretKey256 key, ChunkRecord chunk,
            List<NodeId> order, int attempt, Buffers buffers, ConcurrentLinkedQueue<BadReplica> bad,
            List<String> reasons) {
        if (attempt == order.size()) {
            return CompletableFuture.failedFuture(new IOException("chunk " + chunk.index() + " of " + file.name()
                    + " could not be read from any replica: " + String.join("; ", reasons)));
        }
        NodeId node = order.get(attempt);
        Optional<InetSocketAddress> address = registry.addressOf(node);
        if (address.isEmpty()) {
            reasons.add("node " + node + " is unknown (not discovered)");
            bad.add(new BadReplica(file.name(), chunk.index(), chunk.id(), node, false, "not discovered"));
            return tryReplica(file, key, chunk, order, attempt + 1, buffers, bad, reasons);
        }
        return client.get(address.get(), chunk.id(), buffers.sealed()::take)
                .thenApplyAsync(sealed -> {
                    byte[] plain = open(file, key, chunk, sealed, buffers.plain());
                    buffers.sealed().give(sealed);
                    return plain;
                }, cpu)
                .exceptionallyCompose(e -> {
                    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                    if (cause instanceof IntegrityException integrity) {
                        // the replica matched its hash, so the metadata itself is wrong: no replica can help
                        return CompletableFuture.failedFuture(integrity);
                    }
                    boolean corrupt = cause instanceof CorruptReplica
                            || cause instanceof ChunkServerException cse
                                    && (cse.status() == 404 || cse.code().equals("chunk_corrupt"));
                    String why = cause instanceof CorruptReplica ? cause.getMessage()
                            : ChunkClient.unwrap(address.get(), cause).getMessage();
                    log.warn("replica of chunk {} of {} on node {} unusable ({}); trying another",
                            chunk.index(), file.name(), node, why);
                    bad.add(new BadReplica(file.name(), chunk.index(), chunk.id(), node, corrupt, why));
                    reasons.add("node " + node + ": " + why);
                    return tryReplica(file, key, chunk, order, attempt + 1, buffers, bad, reasons);
                });
    }

    /**
     * Decrypts and authenticates one fetched replica. AES-GCM already checks every byte, so the
     * replica is only hashed when that check fails, to tell a damaged replica (another one may be
     * good) from metadata that no longer fits the chunk (no replica can help).
     */
    private static byte[] open(FileRecord file, SecretKey256 key, ChunkRecord chunk, byte[] sealed, BufferPool plains) {
        if (sealed.length != chunk.size()) {
            throw new CompletionException(new CorruptReplica("it is " + sealed.length + " bytes, not the recorded "
                    + chunk.size()));
        }
        int plainLength = (int) Math.min(file.chunkSize(), file.size() - (long) chunk.index() * file.chunkSize());
        if (ChunkSeal.plainLength(sealed.length) != plainLength) {
            throw new CompletionException(new IntegrityException("chunk " + chunk.index() + " of " + file.name()
                    + " is recorded as " + chunk.size() + " sealed bytes, which cannot hold the " + plainLength
                    + " bytes its file's size implies: the metadata was altered"));
        }
        try {
            byte[] plain = plains.take(plainLength);
            ChunkSeal.openInto(key, Bindings.chunk(file.fileId().hex(), chunk.index(), file.chunkCount()),
                    sealed, 0, sealed.length, "chunk " + chunk.index() + " of " + file.name(), plain);
            return plain;
        } catch (IntegrityException e) {
            if (!Sha256.hex(sealed).equals(chunk.sha256())) {
                throw new CompletionException(new CorruptReplica("its bytes do not match the recorded SHA-256"));
            }
            throw new CompletionException(e);
        }
    }

    /** The arrays one download cycles its chunks through, fetched (sealed) and opened. */
    private record Buffers(BufferPool plain, BufferPool sealed) {}

    /** A replica whose bytes differ from what was stored. */
    private static final class CorruptReplica extends IOException {
        CorruptReplica(String message) {
            super(message);
        }
    }
}
