/**
 * The master's file metadata: immutable records ({@link dfs.master.metadata.FileRecord},
 * {@link dfs.master.metadata.ChunkRecord}, {@link dfs.master.metadata.FileId}), the rules for file
 * names ({@link dfs.master.metadata.FileNames}) and the crash-safe
 * {@link dfs.master.metadata.MetadataStore}.
 *
 * <h2>On-disk format (format 1)</h2>
 *
 * Three files sit side by side; {@code metadata_uploaded.json} is the path the master is given.
 * <ul>
 * <li>{@code metadata_uploaded.json}, the snapshot: UTF-8 JSON, pretty-printed with two-space
 *     indents and {@code \n} line ends, {@code {"format": 1, "files": [FileRecord...]}} with files
 *     sorted by name ({@link java.lang.String#compareTo}). Missing means "no files yet". It is only
 *     ever replaced whole: temporary file, fsync, atomic rename, fsync of the folder.
 * <li>{@code metadata_uploaded.json.journal}, the changes since the snapshot: JSON Lines, one
 *     compact entry per line, {@code {"op":"put","file":{FileRecord}}} (insert or replace by name),
 *     {@code {"op":"remove","name":"..."}} or {@code {"op":"rename","file":{FileRecord},"name":"..."}}
 *     (the record under its new name, and the name it leaves, in one line), or
 *     {@code {"op":"batch","entries":[entry...]}}: up to 1000 of those, applied in order, for
 *     changes made together (a folder rename or delete, a key rotation). Each line is appended
 *     and forced to disk before its changes are acknowledged or visible to readers.
 * <li>{@code metadata_uploaded.json.lock}, empty: an exclusive {@link java.nio.channels.FileLock}
 *     on it marks the running master. It is never deleted; a leftover file without a holder means
 *     nothing. A listing ({@code dfs list}) reads without it and writes nothing, whether a
 *     master runs or not ({@link dfs.master.metadata.MetadataStore#summaries}).
 * </ul>
 * A {@code FileRecord} is {@code {"name", "fileId", "size", "chunkSize", "chunkCount", "sha256",
 * "wrappedKey", "created", "chunks": [{"index", "id", "size", "sha256", "servers": [...]}]}}:
 * {@code size}/{@code sha256} of the file are of the whole plaintext, those of a chunk are of the
 * stored (sealed) bytes; ids travel as lowercase hex strings, {@code created} as ISO-8601 UTC. An
 * empty file has {@code chunkCount} 0 and no chunks. Unknown fields are refused, not ignored. The
 * golden files in {@code src/test/resources/dfs/master/metadata/} freeze all of this: a change
 * that breaks them needs a new format number.
 *
 * <h2>Loading</h2>
 * Read the snapshot, then apply the journal line by line. A last line that has no newline or is
 * not well-formed JSON is what a crash during an append leaves (its pages may reach the disk in
 * any order before the force, so a batch line may be torn or zero-filled anywhere); that append was never
 * acknowledged, so the line is dropped with a warning and truncated away. Any other bad line, and
 * any problem in the snapshot, stops the load with a {@link
 * dfs.master.metadata.CorruptMetadataException} naming the file and line: it may hold
 * acknowledged changes. Temporary snapshot files left by a crash are deleted.
 *
 * <p>What the store writes is read with Jackson's streaming parser ({@code RecordParser}); any
 * input in another shape (a field twice or missing, a number as a string, malformed JSON...) is
 * read by databind instead, which accepts it or names what is wrong and where, so both readers
 * accept the same files with the same result.
 *
 * <h2>Compaction and crashes</h2>
 * When the journal outgrows {@code max(4 MiB, size of the snapshot)}, the store (1) writes the
 * whole state as a new snapshot, atomically, and then (2) truncates the journal to zero and
 * forces it. A crash before (1) completes leaves the old snapshot and the full journal, which
 * load as before; a crash between (1) and (2) leaves the new snapshot and the old journal, which
 * also load correctly because replay is idempotent: each entry sets the whole value of one name
 * (a record or its absence), so replaying entries the snapshot already contains changes nothing.
 * The opposite order (journal first) could lose every change in it.
 *
 * <p>Why that threshold: rewriting a snapshot of S bytes only after S bytes of journal keeps the
 * amortized cost of a change proportional to its own size, never to the number of files, and a
 * restart replays at most a snapshot's worth of journal. Measured on this project's ext4 test VM
 * with 10-chunk files: a put (one fsync) took 0.3-1.2 ms at 10,000 and 100,000 files; a 34 MB
 * snapshot (10,000 files) was written in 0.3 s and a 338 MB one (100,000 files, 10^6 chunks,
 * 450 MB of heap) in 1.6 s and loaded in 3.2 s. The 4 MiB floor spares small stores frequent
 * rewrites.
 */
package dfs.master.metadata;
