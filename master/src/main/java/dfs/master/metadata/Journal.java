package dfs.master.metadata;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import dfs.common.io.AtomicFiles;
import dfs.common.json.Json;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The append-only journal beside the snapshot: one {@link JournalEntry} per line (JSON Lines),
 * each forced to disk before {@link #append} returns.
 *
 * <p>A crash while appending can leave the last line incomplete; such a line was never
 * acknowledged, so {@link #open} drops it with a warning and truncates it away. Any other bad line
 * is a {@link CorruptMetadataException}: it may hold acknowledged changes, and guessing would lose
 * them. After a failed append the journal refuses further appends, because what reached the disk
 * is unknown; a restart recovers from the disk. Not thread-safe: the store serializes writers.
 */
final class Journal implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);

    private final Path path;
    private final FileChannel channel;
    private long size;
    private long entries;
    private IOException failure;

    private Journal(Path path, FileChannel channel, long size, long entries) {
        this.path = path;
        this.channel = channel;
        this.size = size;
        this.entries = entries;
    }

    /**
     * Opens (creating if needed) the journal at {@code path} and passes every complete entry, in
     * order, to {@code replay}.
     */
    static Journal open(Path path, Consumer<JournalEntry> replay) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            // the journal's own directory entry must survive a crash as much as its lines do
            AtomicFiles.forceDirectory(path.toAbsolutePath().getParent());
            long[] good = replay(path, channel, replay);
            if (good[0] < channel.size()) {
                LOG.warn("metadata journal {} ends with an incomplete entry at line {} ({} bytes),"
                        + " left by a crash while it was written; dropping it",
                        path, good[1] + 1, channel.size() - good[0]);
                channel.truncate(good[0]);
                channel.force(true);
            }
            return new Journal(path, channel, good[0], good[1]);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Passes every complete entry of the journal at {@code path} (none if there is no journal) to
     * {@code replay}, opening it for reading only: a line not yet ended, as one being appended by
     * the master that holds the store, is not read, and nothing is repaired.
     */
    static void readComplete(Path path, Consumer<JournalEntry> replay) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            replay(path, channel, replay);
        } catch (NoSuchFileException e) {
            // no journal yet: nothing has changed since the snapshot
        }
    }

    /** Replays complete lines; returns {end of the last good line, number of good lines}. */
    private static long[] replay(Path path, FileChannel channel, Consumer<JournalEntry> replay)
            throws IOException {
        InputStream in = new BufferedInputStream(Channels.newInputStream(channel.position(0)), 1 << 16);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        long total = channel.size();
        long offset = 0;
        long lineNr = 0;
        int b;
        while (true) {
            line.reset();
            while ((b = in.read()) != -1 && b != '\n') {
                line.write(b);
            }
            if (b == -1) {
                return new long[] {offset, lineNr}; // no newline: an append that never finished
            }
            lineNr++;
            byte[] bytes = line.toByteArray();
            boolean last = offset + bytes.length + 1 == total;
            if (bytes.length == 0) {
                if (last) {
                    return new long[] {offset, lineNr - 1};
                }
                throw new CorruptMetadataException(path, lineNr, "empty line", null);
            }
            JournalEntry entry = RecordParser.journalEntry(bytes);
            try {
                if (entry == null) { // databind judges whatever the streaming parser does not read
                    entry = Json.mapper().readValue(bytes, JournalEntry.class);
                }
            } catch (StreamReadException e) {
                // not even well-formed JSON: a tear if it is the last line, else corruption
                if (last) {
                    return new long[] {offset, lineNr - 1};
                }
                throw CorruptMetadataException.of(path, lineNr, e);
            } catch (JsonProcessingException e) {
                // well-formed JSON that is not a valid entry was written whole: never a tear
                throw CorruptMetadataException.of(path, lineNr, e);
            }
            if (entry == null) {
                throw new CorruptMetadataException(path, lineNr, "null instead of an entry", null);
            }
            replay.accept(entry);
            offset += bytes.length + 1;
        }
    }

    /** Appends one entry and forces it to disk. */
    void append(JournalEntry entry) throws IOException {
        if (failure != null) {
            throw new IOException("metadata journal " + path + " refuses changes after an earlier"
                    + " write failed (" + failure.getMessage() + "); restart the master", failure);
        }
        byte[] json = Json.mapper().writeValueAsBytes(entry);
        ByteBuffer buf = ByteBuffer.allocate(json.length + 1).put(json).put((byte) '\n').flip();
        try {
            long at = size;
            while (buf.hasRemaining()) {
                at += channel.write(buf, at);
            }
            // force(true), not force(false): the file's new length must be durable too, and the
            // JDK only promises that for metadata=true on every platform
            channel.force(true);
            size = at;
            entries++;
        } catch (IOException e) {
            failure = e;
            throw new IOException("cannot append to metadata journal " + path + ": " + e.getMessage(), e);
        }
    }

    /** Empties the journal durably, once a snapshot holds everything it had. */
    void reset() throws IOException {
        try {
            channel.truncate(0);
            channel.force(true);
            size = 0;
            entries = 0;
        } catch (IOException e) {
            failure = e;
            throw new IOException("cannot empty metadata journal " + path + ": " + e.getMessage(), e);
        }
    }

    /** Bytes of complete entries. */
    long size() {
        return size;
    }

    /** Complete entries since the journal was last emptied. */
    long entries() {
        return entries;
    }

    /** Whether an append or reset failed, leaving the disk in an unknown state. */
    boolean failed() {
        return failure != null;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
