package dfs.master.metadata;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectWriter;
import dfs.common.io.AtomicFiles;
import dfs.common.json.Json;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Reads and writes the snapshot, {@code {"format":1,"files":[...]}}: every file record, sorted by
 * name, pretty-printed with {@code \n} line ends on every platform so the file is readable, diffs
 * well and is byte-identical wherever it is written. Stateless and thread-safe.
 */
final class SnapshotFile {
    static final int FORMAT = 1;

    /** Built on first write: reading a snapshot needs no databind (see {@link RecordParser}). */
    private static final class Writer {
        static final ObjectWriter WRITER = Json.mapper().writer(prettyPrinter())
                .without(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    }

    /** The snapshot as it is on disk. */
    @JsonPropertyOrder({"format", "files"})
    record Contents(int format, List<FileRecord> files) {}

    private SnapshotFile() {}

    /** The snapshot bytes for {@code files}, in any order; ends with a newline. */
    static byte[] serialize(Collection<FileRecord> files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writeTo(out, files);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize metadata snapshot", e); // in memory
        }
        return out.toByteArray();
    }

    /**
     * Replaces the snapshot durably and atomically, as {@code AtomicFiles.write} does, but streams
     * the JSON to the temporary file: a large store never holds its snapshot text in memory.
     *
     * @return the size of the new snapshot in bytes
     */
    static long write(Path file, Collection<FileRecord> files) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        // AtomicFiles' temporary name, so an open after a crash finds and deletes it
        Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
                writeTo(out, files);
                out.flush();
                channel.force(true);
            }
            long size = Files.size(tmp);
            AtomicFiles.commit(tmp, file);
            return size;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Writes the snapshot bytes for {@code files} to {@code out}, which it leaves open. */
    static void writeTo(OutputStream out, Collection<FileRecord> files) throws IOException {
        List<FileRecord> sorted = new ArrayList<>(files);
        sorted.sort(Comparator.comparing(FileRecord::name));
        Writer.WRITER.writeValue(out, new Contents(FORMAT, sorted));
        out.write('\n');
    }

    /**
     * The files of the snapshot by name; empty if there is no snapshot yet.
     *
     * @throws CorruptMetadataException if the file is not a valid snapshot
     */
    static TreeMap<String, FileRecord> read(Path file) throws IOException {
        return read(file, 1, SnapshotPieces.RECORDS, Function.identity());
    }

    /**
     * What a listing shows of each file of the snapshot, by name, read by up to {@code threads}
     * threads (see {@link SnapshotPieces}); a snapshot that this does not read is read whole, which
     * decides as {@link #read(Path)}.
     */
    static TreeMap<String, FileSummary> summaries(Path file, int threads) throws IOException {
        return read(file, threads, SnapshotPieces.SUMMARIES, FileRecord::summary);
    }

    /**
     * The items {@code reader} reads, by name; where it does not read the snapshot, the whole
     * records as databind reads them (or its error), each made an item by {@code ofRecord}.
     */
    private static <T> TreeMap<String, T> read(Path file, int threads, SnapshotPieces.Reader<T> reader,
            Function<FileRecord, T> ofRecord) throws IOException {
        try {
            if (Files.size(file) == 0) {
                // AtomicFiles never leaves an empty file, so something else truncated it
                throw new CorruptMetadataException(file, 0, "the file is empty", null);
            }
        } catch (NoSuchFileException e) {
            return new TreeMap<>();
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            TreeMap<String, T> parsed = SnapshotPieces.read(channel, threads, reader);
            if (parsed != null) {
                return parsed;
            }
        }
        // databind judges whatever the streaming parser does not read
        try (InputStream in = Files.newInputStream(file)) {
            TreeMap<String, T> items = new TreeMap<>();
            parse(in, "metadata snapshot " + file).forEach((name, record) -> items.put(name, ofRecord.apply(record)));
            return items;
        } catch (JsonProcessingException e) {
            throw CorruptMetadataException.of(file, e);
        } catch (IllegalArgumentException e) {
            throw new CorruptMetadataException(file, 0, e.getMessage(), null);
        }
    }

    /**
     * The files of the snapshot {@code in} holds, by name, through databind.
     *
     * @param what names the snapshot in the error of a format this dfs does not read
     * @throws JsonProcessingException if it is not JSON of a snapshot
     * @throws IllegalArgumentException if its file list is missing or holds a null or a name twice
     */
    static TreeMap<String, FileRecord> parse(InputStream in, String what) throws IOException {
        Contents contents = Json.mapper().readValue(in, Contents.class);
        if (contents == null) {
            throw new IllegalArgumentException("null instead of a snapshot");
        }
        if (contents.format() != FORMAT) {
            throw new IOException(what + " has format " + contents.format()
                    + ", but this dfs reads format " + FORMAT + "; use the dfs version that wrote it");
        }
        if (contents.files() == null) {
            throw new IllegalArgumentException("\"files\" is missing");
        }
        TreeMap<String, FileRecord> byName = new TreeMap<>();
        for (FileRecord record : contents.files()) {
            if (record == null) {
                throw new IllegalArgumentException("\"files\" holds a null");
            }
            if (byName.put(record.name(), record) != null) {
                throw new IllegalArgumentException("file '" + FileNames.printable(record.name()) + "' is listed twice");
            }
        }
        return byName;
    }

    private static DefaultPrettyPrinter prettyPrinter() {
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        return new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                        .withObjectEmptySeparator("")
                        .withArrayEmptySeparator(""))
                .withObjectIndenter(indenter)
                .withArrayIndenter(indenter);
    }
}
