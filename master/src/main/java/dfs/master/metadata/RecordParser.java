package dfs.master.metadata;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dfs.common.wire.ChunkId;
import dfs.common.wire.NodeId;
import java.io.IOException;
import java.io.InputStream;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads snapshots and journal lines with Jackson's streaming parser, for speed: a master's
 * start-up and every {@code list} read the whole metadata, and the streaming parser does that in
 * a fraction of the time and memory of databind, without databind's start-up cost.
 *
 * <p>It reads only the shape the store writes: each field once, of its exact JSON type, nothing
 * unknown, times as {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z}. For anything else it answers
 * {@code null} and the caller reads the input with databind instead, which is the reference: it
 * either accepts the input (with a result this parser would have produced, had it read it) or
 * explains what is wrong, naming the line. Whatever this parser accepts, databind accepts with an
 * equal result; the records' own constructors validate as always. Stateless and thread-safe.
 */
final class RecordParser {
    /** jackson-core alone, with the defaults the project's mapper also uses for parsing. */
    private static final JsonFactory FACTORY = JsonFactory.builder().build();
    private static final int[] POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000,
        100_000_000, 1_000_000_000};

    /** The input is not in the exact shape this parser reads; databind must judge it. */
    private static final class Unexpected extends Exception {
        private static final long serialVersionUID = 1L;

        Unexpected() {
            super(null, null, false, false); // thrown often on odd input: no stack trace
        }
    }

    private static final Unexpected UNEXPECTED = new Unexpected();

    /** Node ids repeat across every chunk: one instance of each, parsed and checked once. */
    private final Map<String, NodeId> nodes = new HashMap<>();

    private RecordParser() {}

    /**
     * The files of a snapshot ({@code {"format":1,"files":[...]}}) in the order listed, or
     * {@code null} if the bytes are not exactly what the store writes (including another format
     * or malformed JSON). Whether names repeat is the caller's to check.
     */
    static List<FileRecord> snapshot(InputStream json) throws IOException {
        try (JsonParser p = FACTORY.createParser(json)) {
            return snapshot(p, new RecordParser()::fileRecord);
        } catch (Unexpected | JsonProcessingException | IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * What a listing shows of each file of a snapshot, in the order listed, or {@code null} where
     * {@link #snapshot} would answer {@code null}. Only the shape is checked of what a listing does
     * not show (the chunks, keys and hashes, which the master checks when it opens the store), and
     * the chunk lists are skipped over unread, which makes this several times less work.
     */
    static List<FileSummary> summaries(InputStream json) throws IOException {
        try (JsonParser p = FACTORY.createParser(json)) {
            return snapshot(p, new RecordParser()::fileSummary);
        } catch (Unexpected | JsonProcessingException | IllegalArgumentException e) {
            return null;
        }
    }

    /** One journal line, or {@code null} if it is not exactly what the store writes. */
    static JournalEntry journalEntry(byte[] line) throws IOException {
        try (JsonParser p = FACTORY.createParser(line)) {
            JournalEntry entry = new RecordParser().journalEntry(p);
            end(p);
            return entry;
        } catch (Unexpected | JsonProcessingException | IllegalArgumentException e) {
            return null;
        }
    }

    /** Reads one file of a snapshot; the parser is on its START_OBJECT. */
    @FunctionalInterface
    private interface FileReader<T> {
        T read(JsonParser p) throws IOException, Unexpected;
    }

    /** The files of a snapshot, each read by {@code file}; the parser is before the root object. */
    private static <T> List<T> snapshot(JsonParser p, FileReader<T> file) throws IOException, Unexpected {
        expect(p.nextToken(), JsonToken.START_OBJECT);
        List<T> files = null;
        boolean format = false;
        String field;
        while ((field = p.nextFieldName()) != null) {
            if (field.equals("format") && !format) {
                format = true;
                if (intValue(p) != SnapshotFile.FORMAT) {
                    throw UNEXPECTED;
                }
            } else if (field.equals("files") && files == null) {
                files = new ArrayList<>();
                expect(p.nextToken(), JsonToken.START_ARRAY);
                JsonToken t;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    expect(t, JsonToken.START_OBJECT);
                    files.add(file.read(p));
                }
            } else {
                throw UNEXPECTED;
            }
        }
        expect(p.currentToken(), JsonToken.END_OBJECT);
        end(p);
        if (files == null || !format) {
            throw UNEXPECTED;
        }
        return files;
    }

    /** A journal line's entry; the parser is before its START_OBJECT. */
    private JournalEntry journalEntry(JsonParser p) throws IOException, Unexpected {
        expect(p.nextToken(), JsonToken.START_OBJECT);
        return journalEntryBody(p);
    }

    /** A journal entry; the parser is on its START_OBJECT. */
    private JournalEntry journalEntryBody(JsonParser p) throws IOException, Unexpected {
        String op = null;
        FileRecord file = null;
        String name = null;
        List<JournalEntry> entries = null;
        String field;
        while ((field = p.nextFieldName()) != null) {
            if (field.equals("op") && op == null) {
                op = string(p);
            } else if (field.equals("file") && file == null) {
                expect(p.nextToken(), JsonToken.START_OBJECT);
                file = fileRecord(p);
            } else if (field.equals("name") && name == null) {
                name = string(p);
            } else if (field.equals("entries") && entries == null) {
                expect(p.nextToken(), JsonToken.START_ARRAY);
                entries = new ArrayList<>();
                JsonToken t;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    expect(t, JsonToken.START_OBJECT);
                    entries.add(journalEntryBody(p));
                }
            } else {
                throw UNEXPECTED;
            }
        }
        expect(p.currentToken(), JsonToken.END_OBJECT);
        return new JournalEntry(op, file, name, entries);
    }

    /** A file record; the parser is on its START_OBJECT. */
    private FileRecord fileRecord(JsonParser p) throws IOException, Unexpected {
        Fields f = fields(p, true);
        return new FileRecord(f.name, FileId.parse(f.fileId), f.size, f.chunkSize, f.chunkCount, f.sha256, f.wrappedKey,
                instant(f.created), f.chunks);
    }

    /** A file record's summary; the parser is on its START_OBJECT. */
    private FileSummary fileSummary(JsonParser p) throws IOException, Unexpected {
        Fields f = fields(p, false);
        if (f.size < 0 || f.chunkCount < 0) {
            throw UNEXPECTED;
        }
        FileNames.check(f.name);
        return new FileSummary(f.name, f.size, f.chunkCount, instant(f.created));
    }

    /** A file record's fields as read; what a listing does not show is null unless read whole. */
    private static final class Fields {
        String name;
        String fileId;
        long size;
        int chunkSize;
        int chunkCount;
        String sha256;
        String wrappedKey;
        String created;
        List<ChunkRecord> chunks;
    }

    /**
     * Each field of a file record, once and of its type; with {@code whole} false, the values a
     * listing does not show are passed over (their type checked, chunk lists skipped unread).
     */
    private Fields fields(JsonParser p, boolean whole) throws IOException, Unexpected {
        Fields f = new Fields();
        int seen = 0;
        String field;
        while ((field = p.nextFieldName()) != null) {
            int bit;
            switch (field) {
                case "name" -> {
                    bit = 1;
                    f.name = string(p);
                }
                case "fileId" -> {
                    bit = 1 << 1;
                    f.fileId = whole ? string(p) : skipString(p);
                }
                case "size" -> {
                    bit = 1 << 2;
                    f.size = longValue(p);
                }
                case "chunkSize" -> {
                    bit = 1 << 3;
                    f.chunkSize = intValue(p);
                }
                case "chunkCount" -> {
                    bit = 1 << 4;
                    f.chunkCount = intValue(p);
                }
                case "sha256" -> {
                    bit = 1 << 5;
                    f.sha256 = whole ? string(p) : skipString(p);
                }
                case "wrappedKey" -> {
                    bit = 1 << 6;
                    f.wrappedKey = whole ? string(p) : skipString(p);
                }
                case "created" -> {
                    bit = 1 << 7;
                    f.created = string(p);
                }
                case "chunks" -> {
                    bit = 1 << 8;
                    f.chunks = whole ? chunks(p) : skipArray(p);
                }
                default -> throw UNEXPECTED;
            }
            if ((seen & bit) != 0) {
                throw UNEXPECTED;
            }
            seen |= bit;
        }
        if (seen != (1 << 9) - 1) {
            throw UNEXPECTED;
        }
        return f;
    }

    private List<ChunkRecord> chunks(JsonParser p) throws IOException, Unexpected {
        expect(p.nextToken(), JsonToken.START_ARRAY);
        List<ChunkRecord> chunks = new ArrayList<>(1);
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            expect(t, JsonToken.START_OBJECT);
            chunks.add(chunk(p));
        }
        return chunks;
    }

    private ChunkRecord chunk(JsonParser p) throws IOException, Unexpected {
        int index = 0;
        String id = null;
        long size = 0;
        String sha256 = null;
        List<NodeId> servers = null;
        int seen = 0;
        String field;
        while ((field = p.nextFieldName()) != null) {
            int bit;
            switch (field) {
                case "index" -> {
                    bit = 1;
                    index = intValue(p);
                }
                case "id" -> {
                    bit = 1 << 1;
                    id = string(p);
                }
                case "size" -> {
                    bit = 1 << 2;
                    size = longValue(p);
                }
                case "sha256" -> {
                    bit = 1 << 3;
                    sha256 = string(p);
                }
                case "servers" -> {
                    bit = 1 << 4;
                    servers = servers(p);
                }
                default -> throw UNEXPECTED;
            }
            if ((seen & bit) != 0) {
                throw UNEXPECTED;
            }
            seen |= bit;
        }
        if (seen != (1 << 5) - 1) {
            throw UNEXPECTED;
        }
        return new ChunkRecord(index, ChunkId.parse(id), size, sha256, servers);
    }

    private List<NodeId> servers(JsonParser p) throws IOException, Unexpected {
        expect(p.nextToken(), JsonToken.START_ARRAY);
        List<NodeId> servers = new ArrayList<>(2);
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            expect(t, JsonToken.VALUE_STRING);
            servers.add(nodes.computeIfAbsent(p.getText(), NodeId::parse));
        }
        return servers;
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}, the form {@link Instant#toString()} writes for the
     * years 0 to 9999, as {@link Instant#parse} reads it.
     */
    static Instant instant(String s) throws Unexpected {
        int n = s.length();
        if (n < 20 || n == 21 || n > 30 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
                || s.charAt(13) != ':' || s.charAt(16) != ':' || s.charAt(n - 1) != 'Z'
                || n > 20 && s.charAt(19) != '.') {
            throw UNEXPECTED;
        }
        int hour = digits(s, 11, 13);
        int minute = digits(s, 14, 16);
        int second = digits(s, 17, 19);
        int nanos = n > 20 ? digits(s, 20, n - 1) * POW10[30 - n] : 0;
        if (hour > 23 || minute > 59 || second > 59) {
            throw UNEXPECTED;
        }
        long day;
        try {
            day = LocalDate.of(digits(s, 0, 4), digits(s, 5, 7), digits(s, 8, 10)).toEpochDay();
        } catch (DateTimeException e) {
            throw UNEXPECTED;
        }
        return Instant.ofEpochSecond(day * 86_400 + hour * 3_600 + minute * 60 + second, nanos);
    }

    private static int digits(String s, int from, int to) throws Unexpected {
        int v = 0;
        for (int i = from; i < to; i++) {
            int d = s.charAt(i) - '0';
            if (d < 0 || d > 9) {
                throw UNEXPECTED;
            }
            v = v * 10 + d;
        }
        return v;
    }

    private static String string(JsonParser p) throws IOException, Unexpected {
        expect(p.nextToken(), JsonToken.VALUE_STRING);
        return p.getText();
    }

    /** A string passed over: its type checked, its text never made. */
    private static String skipString(JsonParser p) throws IOException, Unexpected {
        expect(p.nextToken(), JsonToken.VALUE_STRING);
        return null;
    }

    /** An array skipped over unread, but for its syntax. */
    private static <T> List<T> skipArray(JsonParser p) throws IOException, Unexpected {
        expect(p.nextToken(), JsonToken.START_ARRAY);
        p.skipChildren();
        return null;
    }

    private static int intValue(JsonParser p) throws IOException, Unexpected {
        expect(p.nextToken(), JsonToken.VALUE_NUMBER_INT);
        if (p.getNumberType() != JsonParser.NumberType.INT) {
            throw UNEXPECTED;
        }
        return p.getIntValue();
    }

    private static long longValue(JsonParser p) throws IOException, Unexpected {
        expect(p.nextToken(), JsonToken.VALUE_NUMBER_INT);
        JsonParser.NumberType type = p.getNumberType();
        if (type != JsonParser.NumberType.INT && type != JsonParser.NumberType.LONG) {
            throw UNEXPECTED;
        }
        return p.getLongValue();
    }

    private static void expect(JsonToken actual, JsonToken expected) throws Unexpected {
        if (actual != expected) {
            throw UNEXPECTED;
        }
    }

    /** Nothing may follow the root value but whitespace. */
    private static void end(JsonParser p) throws IOException, Unexpected {
        if (p.nextToken() != null) {
            throw UNEXPECTED;
        }
    }
}
