package dfs.master.repair;

import dfs.common.wire.ChunkId;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Chunk ids some operation is working on right now, so that no other operation acts on the same
 * chunk at the same time: an upload holds the ids of its chunks from before their first PUT until
 * its record is committed (or the upload failed and cleaned up), a repair holds the chunk it
 * copies until the new holders are committed, and garbage collection and trimming hold a chunk
 * while they decide and delete. Without this, a chunk just stored by an upload or a repair, and
 * not yet in the metadata, would look like an orphan or an extra copy.
 *
 * <p>A claim is exclusive: {@link #claim} fails while another holder has the id. Thread-safe.
 */
public final class InFlightChunks {
    private final Set<ChunkId> busy = ConcurrentHashMap.newKeySet();

    /** Takes {@code id} for the caller; false when someone else holds it. */
    public boolean claim(ChunkId id) {
        return busy.add(id);
    }

    /** Gives {@code id} back; releasing an id not held is harmless. */
    public void release(ChunkId id) {
        busy.remove(id);
    }

    /** Gives every id in {@code ids} back. */
    public void releaseAll(Collection<ChunkId> ids) {
        busy.removeAll(ids);
    }

    /** Whether someone holds {@code id} now. */
    public boolean isBusy(ChunkId id) {
        return busy.contains(id);
    }

    /** How many ids are held now. */
    public int size() {
        return busy.size();
    }
}
