package dfs.master.metadata;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One line of the journal: {@code {"op":"put","file":{...}}}, {@code {"op":"remove","name":"..."}}
 * or {@code {"op":"rename","file":{...},"name":"..."}} (the file's record under its new name, and
 * the name it leaves: one line, so a crash leaves the file under one name or the other, never
 * both, whose later delete would take the other's chunks).
 *
 * <p>Each entry carries the whole new value of the names it touches (the full record, or its
 * absence), never a delta. Replaying a journal is therefore idempotent: applied to a snapshot
 * that already contains it, it yields the same state, which is what makes compaction crash-safe.
 * Immutable.
 */
@JsonPropertyOrder({"op", "file", "name"})
record JournalEntry(String op, FileRecord file, String name) {
    static final String PUT = "put";
    static final String REMOVE = "remove";
    static final String RENAME = "rename";

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
        } else if (RENAME.equals(op)) {
            if (name == null || file == null) {
                throw new IllegalArgumentException("a rename entry has a file and the name it leaves");
            }
            FileNames.check(name);
            if (name.equals(file.name())) {
                throw new IllegalArgumentException("a rename entry leaves a name other than the file's");
            }
        } else {
            throw new IllegalArgumentException("unknown op '" + FileNames.printable(op)
                    + "'; expected 'put', 'remove' or 'rename'");
        }
    }

    static JournalEntry put(FileRecord file) {
        return new JournalEntry(PUT, file, null);
    }

    static JournalEntry remove(String name) {
        return new JournalEntry(REMOVE, null, name);
    }

    static JournalEntry rename(String from, FileRecord renamed) {
        return new JournalEntry(RENAME, renamed, from);
    }
}
