package dfs.master.metadata;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One line of the journal: {@code {"op":"put","file":{...}}} or {@code {"op":"remove","name":"..."}}.
 *
 * <p>Each entry carries the whole new value of one name (the full record, or its absence), never
 * a delta. Replaying a journal is therefore idempotent: applied to a snapshot that already
 * contains it, it yields the same state, which is what makes compaction crash-safe. Immutable.
 */
@JsonPropertyOrder({"op", "file", "name"})
record JournalEntry(String op, FileRecord file, String name) {
    static final String PUT = "put";
    static final String REMOVE = "remove";

    JournalEntry {
        if (PUT.equals(op)) {
            if (file == null || name != null) {
                throw new IllegalArgumentException("a put entry has a file and no name");
            }
        } else if (REMOVE.equals(op)) {
            if (name == null || file != null) {
                throw new IllegalArgumentException("a remove entry has a name and no file");
            }
            FileNames.check(name);
        } else {
            throw new IllegalArgumentException("unknown op '" + FileNames.printable(op)
                    + "'; expected 'put' or 'remove'");
        }
    }

    static JournalEntry put(FileRecord file) {
        return new JournalEntry(PUT, file, null);
    }

    static JournalEntry remove(String name) {
        return new JournalEntry(REMOVE, null, name);
    }
}
