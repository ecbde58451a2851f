package dfs.master.metadata;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.FutureTask;

/**
 * A {@link MetadataStore} being opened on a thread of its own, so that a master's start-up reads
 * its metadata while it also sets up TLS, loads its keys and starts discovery. Whoever
 * {@link #take() takes} the store owns it; a store never taken is closed by {@link #close()}, so
 * a start-up that fails elsewhere leaves no lock held. Not for use by several threads.
 */
public final class MetadataOpening implements AutoCloseable {
    private final Path snapshotFile;
    private final FutureTask<MetadataStore> task;
    private boolean taken;

    private MetadataOpening(Path snapshotFile) {
        this.snapshotFile = snapshotFile;
        this.task = new FutureTask<>(() -> MetadataStore.open(snapshotFile));
    }

    /** Starts opening the store of {@code snapshotFile} (as {@link MetadataStore#open}) and returns at once. */
    public static MetadataOpening start(Path snapshotFile) {
        MetadataOpening opening = new MetadataOpening(snapshotFile);
        Thread thread = new Thread(opening.task, "dfs-metadata-open");
        thread.setDaemon(true);
        thread.start();
        return opening;
    }

    /**
     * Waits for the store and hands it over: the caller closes it from now on.
     *
     * @throws IOException whatever {@link MetadataStore#open} threw, as it threw it
     * @throws IllegalStateException if the store was already taken
     */
    public MetadataStore take() throws IOException {
        if (taken) {
            throw new IllegalStateException("the metadata store " + snapshotFile + " was already taken");
        }
        taken = true;
        return Uninterruptibly.get(task);
    }

    /** Closes the store if it was never taken, once it is open; a failed open has nothing to close. */
    @Override
    public void close() throws IOException {
        if (taken) {
            return;
        }
        taken = true;
        MetadataStore store;
        try {
            store = Uninterruptibly.get(task);
        } catch (IOException | RuntimeException e) {
            return; // the start-up failed elsewhere first; this failure adds nothing to that
        }
        store.close();
    }
}
