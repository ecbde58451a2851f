package dfs.master.metadata;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Reads a snapshot with {@link RecordParser}, on several threads if asked: the snapshot is cut
 * between two file records into pieces, and each piece, wrapped into a snapshot of its own, is
 * read on its own thread. The cuts are where the store's pretty printer separates two records
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

    private SnapshotPieces() {}

    /**
     * The files of the snapshot {@code json} by name, read by up to {@code threads} threads (the
     * caller's among them); {@code null} if the parser leaves the snapshot to databind, or a name
     * is listed twice.
     */
    static TreeMap<String, FileRecord> read(byte[] json, int threads) throws IOException {
        List<Integer> starts = starts(json, Math.min(threads, json.length / MIN_PIECE_BYTES));
        List<List<FileRecord>> pieces = starts.size() > 1 ? readPieces(json, starts) : null;
        if (pieces == null) {
            List<FileRecord> whole = RecordParser.snapshot(json);
            pieces = whole == null ? null : List.of(whole);
        }
        return pieces == null ? null : byName(pieces);
    }

    /**
     * Where each piece starts: 0, then the first record start at or after each further share of
     * the bytes (fewer pieces where no cut is found).
     */
    static List<Integer> starts(byte[] json, int pieces) {
        List<Integer> starts = new ArrayList<>(List.of(0));
        for (int i = 1; i < pieces; i++) {
            int from = Math.max((int) ((long) json.length * i / pieces), starts.get(i - 1) + 1);
            int cut = indexOf(json, CUT, from);
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
    static List<List<FileRecord>> readPieces(byte[] json, List<Integer> starts) throws IOException {
        List<FutureTask<List<FileRecord>>> others = new ArrayList<>();
        for (int i = 1; i < starts.size(); i++) {
            boolean last = i + 1 == starts.size();
            InputStream piece = concat(HEAD, json, starts.get(i), last ? json.length : end(starts.get(i + 1)),
                    last ? NOTHING : TAIL);
            FutureTask<List<FileRecord>> task = new FutureTask<>(() -> RecordParser.snapshot(piece));
            Thread thread = new Thread(task, "dfs-metadata-read-" + i);
            thread.setDaemon(true);
            thread.start();
            others.add(task);
        }
        List<List<FileRecord>> pieces = new ArrayList<>();
        pieces.add(RecordParser.snapshot(concat(NOTHING, json, 0, end(starts.get(1)), TAIL)));
        for (FutureTask<List<FileRecord>> task : others) {
            pieces.add(join(task));
        }
        return pieces.contains(null) ? null : pieces;
    }

    /**
     * The records of {@code runs} by name, or {@code null} if a name repeats. Runs in ascending
     * order of names, as the store writes them, are copied into the tree in linear time.
     */
    static TreeMap<String, FileRecord> byName(List<List<FileRecord>> runs) {
        List<FileRecord> all = new ArrayList<>();
        runs.forEach(all::addAll);
        for (int i = 1; i < all.size(); i++) {
            if (all.get(i - 1).name().compareTo(all.get(i).name()) >= 0) {
                TreeMap<String, FileRecord> byName = new TreeMap<>();
                for (FileRecord f : all) {
                    if (byName.put(f.name(), f) != null) {
                        return null;
                    }
                }
                return byName;
            }
        }
        return new TreeMap<>(new Ascending(all));
    }

    /** Where the piece before the one starting at {@code start} ends: just after the cut's '}'. */
    private static int end(int start) {
        return start - (CUT.length - 1) + 1;
    }

    private static int indexOf(byte[] data, byte[] pattern, int from) {
        outer:
        for (int i = from; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static InputStream concat(byte[] head, byte[] json, int from, int to, byte[] tail) {
        return new SequenceInputStream(Collections.enumeration(List.of(new ByteArrayInputStream(head),
                new ByteArrayInputStream(json, from, to - from), new ByteArrayInputStream(tail))));
    }

    private static <T> T join(FutureTask<T> task) throws IOException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    interrupted = true; // the piece's thread ends soon either way
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof IOException io) {
                        throw io;
                    }
                    throw new IllegalStateException("reading a snapshot piece failed", e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Records in strictly ascending order of names, seen as the sorted map that
     * {@code new TreeMap<>(SortedMap)} copies in linear time. That copy reads only the comparator,
     * the size and the entries, and nothing else ever sees this map, so the views it needs no one
     * asks for are not offered.
     */
    private static final class Ascending extends AbstractMap<String, FileRecord> implements SortedMap<String, FileRecord> {
        private final List<FileRecord> records;

        Ascending(List<FileRecord> records) {
            this.records = records;
        }

        @Override
        public Comparator<? super String> comparator() {
            return null; // natural order, as the store's tree has
        }

        @Override
        public Set<Entry<String, FileRecord>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<String, FileRecord>> iterator() {
                    return records.stream().<Entry<String, FileRecord>>map(f -> new SimpleImmutableEntry<>(f.name(), f))
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
            return records.get(0).name();
        }

        @Override
        public String lastKey() {
            return records.get(records.size() - 1).name();
        }

        @Override
        public SortedMap<String, FileRecord> subMap(String fromKey, String toKey) {
            throw new UnsupportedOperationException("only copied into a TreeMap");
        }

        @Override
        public SortedMap<String, FileRecord> headMap(String toKey) {
            throw new UnsupportedOperationException("only copied into a TreeMap");
        }

        @Override
        public SortedMap<String, FileRecord> tailMap(String fromKey) {
            throw new UnsupportedOperationException("only copied into a TreeMap");
        }
    }
}
