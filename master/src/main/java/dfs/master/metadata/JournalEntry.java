package dfs.master.metadata;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * One line of the journal: {@code {"op":"put","file":{...}}}, {@code {"op":"remove","name":"..."}}
 * or {@code {"op":"rename","file":{...},"name":"..."}} (the file's record under its new name, and
 * the name it leaves: one line, so a crash leaves the file under one name or the other, never
 * both, whose later delete would take the other's chunks), or
 * {@code {"op":"batch","entries":[...]}}: several of those, in order, in one line, so that they
 * reach the disk with one force and a crash keeps all of them or none (a folder rename or delete,
 * a key rotation).
 *
 * <p>Each entry carries the whole new value of the names it touches (the full record, or its
 * absence), never a delta. Replaying a journal is therefore idempotent: applied to a snapshot
 * that already contains it, it yields the same state, which is what makes compaction crash-safe.
 * Immutable.
 */
@JsonPropertyOrder({"op", "file", "name", "entries"})
record JournalEntry(String op, FileRecord file, String name, List<JournalEntry> entries) {
    static final String PUT = "put";
    static final String REMOVE = "remove";
    static final String RENAME = "rename";
    static final String BATCH = "batch";

    JournalEntry {
        if (BATCH.equals(op)) {
            if (entries == null || entries.isEmpty() || file != null || name != null) {
                throw new IllegalArgumentException("a batch entry has entries and no file or name");
            }
            entries = List.copyOf(entries);
            if (entries.stream().anyMatch(e -> BATCH.equals(e.op()))) {
                throw new IllegalArgumentException("a batch entry holds no batch");
            }
        } else if (entries != null) {
            throw new IllegalArgumentException("only a batch entry has entries");
        } else {
            checkChange(op, file, name);
        }
    }

    /** Checks a single change: a put, a remove or a rename. */
    private static void checkChange(String op, FileRecord file, String name) {
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
                    + "'; expected 'put', 'remove', 'rename' or 'batch'");
        }
    }

    static JournalEntry put(FileRecord file) {
        return new JournalEntry(PUT, file, null, null);
    }

    static JournalEntry remove(String name) {
        return new JournalEntry(REMOVE, null, name, null);
    }

    static JournalEntry rename(String from, FileRecord renamed) {
        return new JournalEntry(RENAME, renamed, from, null);
    }

    /** The entries as one line: the entry itself if there is one, else a batch of them. */
    static JournalEntry line(List<JournalEntry> entries) {
        return entries.size() == 1 ? entries.get(0) : new JournalEntry(BATCH, null, null, entries);
    }

    /** The single changes this line makes, in order: the batch's entries, or the entry itself. */
    List<JournalEntry> changes() {
        return entries == null ? List.of(this) : entries;
    }
}
