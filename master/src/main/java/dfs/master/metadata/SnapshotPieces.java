package dfs.master.metadata;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.FutureTask;
import java.util.function.Function;

/**
 * Reads a snapshot with {@link RecordParser}, whole records or only what a listing shows
 * ({@link Reader}), on several threads if asked: the snapshot is cut between two file records
 * into pieces, and each piece, wrapped into a snapshot of its own, is read on its own thread. The
 * cuts are where the store's pretty printer separates two records
 * ({@code "},\n    {"}, the only place an object follows a comma at that indent), so finding them
 * needs no scan of the JSON.
 *
 * <p>Nothing is assumed about the input: each piece must read as a complete snapshot, and the
 * wrappers supply {@code "format"} and the {@code "files"} array, which the parser refuses to see
 * twice, so a piece cannot close the array early or add a field. Pieces that all read are
 * therefore consecutive runs of one {@code "files"} array, wherever the cuts fell. If a piece does
 * not read, the snapshot is read again in one piece, which decides.
 *
 * <p>Whether a second thread pays depends on what else wants the cores: measured on two cores, it
 * cut a 100,000-file 'list' (quick compiler only, nothing else running) by a third, but slowed a
 * master's start-up, where the optimising compiler, the crypto warm-up and discovery run too.
 * Stateless and thread-safe.
 */
final class SnapshotPieces {
    /** Below this a piece is not worth a thread. */
    static final int MIN_PIECE_BYTES = 4 << 20;
    private static final byte[] CUT = "},\n    {".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEAD = ("{\"format\":" + SnapshotFile.FORMAT + ",\"files\":[")
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TAIL = "]}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NOTHING = new byte[0];
    /** How much is read at a time while looking for a cut: enough for about 80 records. */
    static final int WINDOW = 64 << 10;

    private SnapshotPieces() {}

    /** Parses a snapshot's items in the order listed, or answers {@code null} (see {@link RecordParser}). */
    @FunctionalInterface
    interface Parser<T> {
        List<T> parse(InputStream json) throws IOException;
    }

    /** How one kind of item is read from a snapshot, and the name each is filed under. */
    record Reader<T>(Parser<T> parser, Function<T, String> name) {}

    /** Whole file records, as the store keeps them. */
    static final Reader<FileRecord> RECORDS = new Reader<>(RecordParser::snapshot, FileRecord::name);
    /** What a listing shows of each file. */
    static final Reader<FileSummary> SUMMARIES = new Reader<>(RecordParser::summaries, FileSummary::name);

    /**
     * The items {@code reader} reads from the snapshot in {@code json}, by name, read by up to
     * {@code threads} threads (the caller's among them); {@code null} if the parser leaves the
     * snapshot to databind, or a name is listed twice. The file is read where each thread parses,
     * not into one array first.
     */
    static <T> TreeMap<String, T> read(FileChannel json, int threads, Reader<T> reader) throws IOException {
        long size = json.size();
        List<Long> starts = starts(json, (int) Math.min(threads, size / MIN_PIECE_BYTES));
        List<List<T>> pieces = starts.size() > 1 ? readPieces(json, starts, reader) : null;
        if (pieces == null) {
            List<T> whole = reader.parser().parse(range(json, 0, size));
            pieces = whole == null ? null : List.of(whole);
        }
        return pieces == null ? null : byName(pieces, reader.name());
    }

    /**
     * Where each piece starts: 0, then the first record start at or after each further share of
     * the bytes (fewer pieces where no cut is found).
     */
    static List<Long> starts(FileChannel json, int pieces) throws IOException {
        List<Long> starts = new ArrayList<>(List.of(0L));
        for (int i = 1; i < pieces; i++) {
            long cut = nextCut(json, Math.max(json.size() * i / pieces, starts.get(i - 1) + 1));
            if (cut < 0) {
                break;
            }
            starts.add(cut + CUT.length - 1);
        }
        return starts;
    }

    /**
     * The files of each piece of {@code json} starting at {@code starts} (the first read on this
     * thread, each other on its own), or {@code null} if a piece does not read.
     */
    static <T> List<List<T>> readPieces(FileChannel json, List<Long> starts, Reader<T> reader) throws IOException {
        List<FutureTask<List<T>>> others = new ArrayList<>();
        for (int i = 1; i < starts.size(); i++) {
            boolean last = i + 1 == starts.size();
            InputStream piece = concat(HEAD, range(json, starts.get(i), last ? json.size() : end(starts.get(i + 1))),
                    last ? NOTHING : TAIL);
            FutureTask<List<T>> task = new FutureTask<>(() -> reader.parser().parse(piece));
            Thread thread = new Thread(task, "dfs-metadata-read-" + i);
            thread.setDaemon(true);
            thread.start();
            others.add(task);
        }
        List<List<T>> pieces = new ArrayList<>();
        pieces.add(reader.parser().parse(concat(NOTHING, range(json, 0, end(starts.get(1))), TAIL)));
        for (FutureTask<List<T>> task : others) {
            pieces.add(Uninterruptibly.get(task));
        }
        return pieces.contains(null) ? null : pieces;
    }

    /**
     * The items of {@code runs} by name, or {@code null} if a name repeats. Runs in ascending
     * order of names, as the store writes them, are copied into the tree in linear time.
     */
    static <T> TreeMap<String, T> byName(List<List<T>> runs, Function<T, String> name) {
        List<T> all = new ArrayList<>();
        runs.forEach(all::addAll);
        for (int i = 1; i < all.size(); i++) {
            if (name.apply(all.get(i - 1)).compareTo(name.apply(all.get(i))) >= 0) {
                TreeMap<String, T> byName = new TreeMap<>();
                for (T f : all) {
                    if (byName.put(name.apply(f), f) != null) {
                        return null;
                    }
                }
                return byName;
            }
        }
        return new TreeMap<>(new Ascending<>(all, name));
    }

    /** Where the piece before the one starting at {@code start} ends: just after the cut's '}'. */
    private static long end(long start) {
        return start - (CUT.length - 1) + 1;
    }

    /** The position of the first cut at or after {@code from}, or -1; reads a window at a time. */
    static long nextCut(FileChannel json, long from) throws IOException {
        ByteBuffer window = ByteBuffer.allocate(WINDOW);
        for (long at = from; at + CUT.length <= json.size(); at += WINDOW - (CUT.length - 1)) {
            window.clear();
            int n = 0;
            int r;
            while (n < WINDOW && (r = json.read(window, at + n)) >= 0) {
                n += r;
            }
            byte[] bytes = window.array();
            outer:
            for (int i = 0; i + CUT.length <= n; i++) {
                for (int j = 0; j < CUT.length; j++) {
                    if (bytes[i + j] != CUT[j]) {
                        continue outer;
                    }
                }
                return at + i;
            }
        }
        return -1;
    }

    private static InputStream concat(byte[] head, InputStream json, byte[] tail) {
        return new SequenceInputStream(Collections.enumeration(List.of(new ByteArrayInputStream(head), json,
                new ByteArrayInputStream(tail))));
    }

    /**
     * Bytes {@code from} to {@code to} of {@code json}, each read at its own position, so that
     * several threads read one channel at once.
     */
    private static InputStream range(FileChannel json, long from, long to) {
        return new InputStream() {
            private long position = from;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (position >= to) {
                    return -1;
                }
                int n = json.read(ByteBuffer.wrap(b, off, (int) Math.min(len, to - position)), position);
                if (n > 0) {
                    position += n;
                }
                return n; // -1 only if the file ends early, which the parser then reports as a tear
            }
        };
    }

    /**
     * Records in strictly ascending order of names, seen as the sorted map that
     * {@code new TreeMap<>(SortedMap)} copies in linear time. That copy reads only the comparator,
     * the size and the entries, and nothing else ever sees this map, so the views it needs no one
     * asks for are not offered.
     */
    private static final class Ascending<T> extends AbstractMap<String, T> implements SortedMap<String, T> {
        private final List<T> records;
        private final Function<T, String> name;

        Ascending(List<T> records, Function<T, String> name) {
            this.records = records;
            this.name = name;
        }

        @Override
        public Comparator<? super String> comparator() {
            return null; // natural order, as the store's tree has
        }

        @Override
        public Set<Entry<String, T>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<String, T>> iterator() {
                    return records.stream().<Entry<String, T>>map(f -> new SimpleImmutableEntry<>(name.apply(f), f))
                            .iterator();
                }

                @Override
                public int size() {
                    return records.size();
                }
            };
        }

        @Override
        public String firstKey() {
            return name.apply(records.get(0));
        }

        @Override
        public String lastKey() {
            return name.apply(records.get(records.size() - 1));
        }

        @Override
        public SortedMap<String, T> subMap(String fromKey, String toKey) {
            throw new UnsupportedOperationException("only copied into a TreeMap");
        }

        @Override
        public SortedMap<String, T> headMap(String toKey) {
            throw new UnsupportedOperationException("only copied into a TreeMap");
        }

        @Override
        public SortedMap<String, T> tailMap(String fromKey) {
            throw new UnsupportedOperationException("only copied into a TreeMap");
        }
    }
}
