package dfs.master.repair;

import dfs.common.wire.NodeId;
import java.util.List;
import java.util.Objects;

/**
 * What a repair of one chunk did. Immutable.
 *
 * @param chunk the report the repair started from
 * @param result how it ended
 * @param added servers that received a new copy and are now recorded
 * @param dropped servers no longer recorded for the chunk (their bad copies deleted where reachable)
 * @param detail what happened, in words
 */
public record RepairOutcome(ChunkReport chunk, Result result, List<NodeId> added, List<NodeId> dropped, String detail) {
    public RepairOutcome {
        Objects.requireNonNull(chunk, "chunk");
        Objects.requireNonNull(result, "result");
        added = List.copyOf(added);
        dropped = List.copyOf(dropped);
        Objects.requireNonNull(detail, "detail");
    }

    static RepairOutcome of(ChunkReport chunk, Result result, String detail) {
        return new RepairOutcome(chunk, result, List.of(), List.of(), detail);
    }

    /** How a repair ended. */
    public enum Result {
        /** New copies stored and committed, or bad replicas dropped from the record. */
        REPAIRED,
        /** Nothing was wrong any more. */
        UNCHANGED,
        /** Another upload, repair or collection was working on the chunk; try again later. */
        BUSY,
        /** No replica could be read and verified: nothing to copy from. */
        LOST,
        /** No live server could take a new copy. */
        NO_SERVER,
        /** The file was deleted, replaced or changed meanwhile; the new copies were withdrawn. */
        STALE,
        /** Storing or committing failed; the reason is in {@link #detail}. */
        FAILED;

        /**
         * Whether the chunk is still short of copies after this repair. A busy chunk is retried by
         * the next scan; a stale one belongs to a file that is gone or was replaced, so the next
         * scan looks at whatever replaced it. Neither is worth a warning.
         */
        public boolean leavesChunkUnrepaired() {
            return this == LOST || this == NO_SERVER || this == FAILED;
        }
    }

    /** One line for a person: file, chunk, id and what happened. */
    public String describe() {
        return String.format("%s chunk %d (%s): %s: %s", chunk.file(), chunk.chunk().index(), chunk.chunk().id(),
                result.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '), detail);
    }
}
