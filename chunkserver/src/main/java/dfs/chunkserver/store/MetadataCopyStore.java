package dfs.chunkserver.store;

import dfs.common.io.AtomicFiles;
import dfs.common.wire.MasterId;
import dfs.common.wire.Protocol;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one copy of the master's metadata this server keeps for it, in {@code metadata-copy} under
 * the storage root. The master seals it under a key only it holds; here it is opaque bytes, never
 * interpreted, and no chunk: it is not listed, counted or scrubbed.
 *
 * <p>A put streams the body to {@code tmp/}, refuses it unless it has exactly the declared length
 * and fits above the reserve, forces it to disk and renames it over the copy held before, so the
 * copy is always the old one or the new one, never torn.
 *
 * <p>Thread-safe. Puts stream in parallel and are committed one at a time; the put that began last
 * wins. A put that ends after a later one has already replaced the copy is dropped, as if it had
 * been replaced at once, so a slow upload of an old copy never overwrites a newer one. Readers need
 * no lock: an open copy stays the version it was when opened.
 */
public final class MetadataCopyStore {
    private static final Logger LOG = LoggerFactory.getLogger(MetadataCopyStore.class);

    private final StorageLayout layout;
    private final DiskSpace space;
    private final AtomicLong begun = new AtomicLong();
    private final Object commitLock = new Object();
    /** The number of the put whose bytes the file holds; guarded by {@link #commitLock}. */
    private long committed;

    MetadataCopyStore(StorageLayout layout, DiskSpace space) {
        this.layout = layout;
        this.space = space;
    }

    /**
     * Replaces the copy with {@code length} bytes read from {@code body}. Reads exactly
     * {@code length} bytes plus one to prove the body ends there; does not close {@code body}.
     *
     * @throws IllegalArgumentException if length is negative or above {@link Protocol#MAX_METADATA_COPY_BYTES}
     * @param master the master that sent it, kept with it; empty when it did not say
     * @throws DiskFullException if storing would eat into the free-space reserve; nothing was read
     * @throws LengthMismatchException if the body is shorter or longer than length, or breaks off
     */
    public void replace(long length, InputStream body, Optional<MasterId> master) throws IOException {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(master, "master");
        if (length < 0 || length > Protocol.MAX_METADATA_COPY_BYTES) {
            throw new IllegalArgumentException("metadata copy: length " + length + " is not in 0.."
                    + Protocol.MAX_METADATA_COPY_BYTES);
        }
        long ticket = begun.incrementAndGet();
        space.require(Upload.METADATA_COPY, length, null);
        Path tmp = layout.newTmpFile("metadata-copy");
        try {
            try (IncomingFile file = IncomingFile.open(tmp, length, Upload.METADATA_COPY, space)) {
                file.copyBody(body, length, null);
                file.force();
            }
            commit(tmp, ticket, length, master);
        } finally {
            layout.removeTmpQuietly(tmp); // already gone after a commit
        }
    }

    private void commit(Path tmp, long ticket, long length, Optional<MasterId> master) throws IOException {
        synchronized (commitLock) {
            if (ticket < committed) {
                LOG.info("dropped a {} byte metadata copy: a copy sent after it is already stored", length);
                return;
            }
            // the sender's id before its copy: a crash between the two leaves the old copy marked as
            // the new sender's, which holds a second master back rather than letting it through
            Path marker = layout.metadataCopyMasterFile();
            if (master.isPresent()) {
                if (!master.equals(master())) {
                    AtomicFiles.write(marker, (master.get().hex() + "\n").getBytes(StandardCharsets.US_ASCII));
                }
            } else {
                AtomicFiles.delete(marker);
            }
            AtomicFiles.commit(tmp, layout.metadataCopyFile());
            committed = ticket;
        }
        LOG.debug("stored the master's metadata copy: {} bytes", length);
    }

    /** The master whose copy this server holds, when it said; empty for a copy without one, or none. */
    public Optional<MasterId> master() throws IOException {
        try {
            String text = Files.readString(layout.metadataCopyMasterFile(), StandardCharsets.US_ASCII).strip();
            return MasterId.isValid(text) ? Optional.of(MasterId.parse(text)) : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /**
     * Opens the copy last stored, positioned at its first byte, which runs to its end
     * ({@link FileChannel#size()} is its length); empty when none is. The caller closes it.
     */
    public Optional<FileChannel> open() throws IOException {
        try {
            return Optional.of(FileChannel.open(layout.metadataCopyFile(), StandardOpenOption.READ));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }
}
