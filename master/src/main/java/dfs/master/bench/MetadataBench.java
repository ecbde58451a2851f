package dfs.master.bench;

import com.fasterxml.jackson.core.JsonGenerator;
import dfs.common.json.Json;
import dfs.common.wire.ChunkId;
import dfs.common.wire.NodeId;
import dfs.master.metadata.ChunkRecord;
import dfs.master.metadata.FileId;
import dfs.master.metadata.FileRecord;
import dfs.master.metadata.MetadataStore;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * How the metadata scales with the number of files: for each size, a store of that many
 * one-chunk files (written in the store's own snapshot format), then the time to open it (what a
 * master's start-up pays), to list it (the 'list' command's work, formatting included), and of one
 * more upload's commit (median of 21 puts, each forced to disk). Figures, never assertions.
 */
public final class MetadataBench {
    private static final int PUTS = 21;
    private static final List<NodeId> NODES = List.of(NodeId.random(), NodeId.random(), NodeId.random());

    private final Path dir;
    private final PrintWriter out;

    public MetadataBench(Path dir, PrintWriter out) {
        this.dir = dir;
        this.out = out;
    }

    public void run(int... sizes) throws IOException {
        out.println("metadata with N one-chunk files (snapshot + journal, each commit forced to disk):");
        out.printf(Locale.ROOT, "  %9s  %12s  %10s  %10s  %16s%n", "files", "snapshot", "open", "list", "one more upload");
        for (int n : sizes) {
            Path file = dir.resolve("metadata-" + n + ".json");
            writeSnapshot(file, n);
            long size = Files.size(file);
            long t0 = System.nanoTime();
            try (MetadataStore store = MetadataStore.open(file)) {
                long opened = System.nanoTime() - t0;
                long t1 = System.nanoTime();
                long chars = 0;
                StringBuilder line = new StringBuilder(120);
                for (FileRecord f : store.list()) { // as 'list' formats each file
                    line.setLength(0);
                    line.append(String.format(Locale.ROOT, "%-40s %12d %7d  %s", f.name(), f.size(), f.chunkCount(), f.created()));
                    chars += line.length();
                }
                long listed = System.nanoTime() - t1;
                long[] puts = new long[PUTS];
                for (int i = 0; i < PUTS; i++) {
                    FileRecord r = record("extra/" + i);
                    long t = System.nanoTime();
                    store.put(r);
                    puts[i] = System.nanoTime() - t;
                }
                Arrays.sort(puts);
                out.printf(Locale.ROOT, "  %9d  %9.1f MB  %7.0f ms  %7.0f ms  %13.2f ms%n", n, size / 1e6, opened / 1e6,
                        listed / 1e6, puts[PUTS / 2] / 1e6);
                if (chars < 0) {
                    out.println(); // keeps the formatting above from being optimised away
                }
            }
            try (var leftovers = Files.list(dir)) {
                for (Path p : leftovers.filter(p -> p.getFileName().toString().startsWith("metadata-" + n + ".json")).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static void writeSnapshot(Path file, int n) throws IOException {
        try (OutputStream os = Files.newOutputStream(file);
                JsonGenerator g = Json.mapper().getFactory().createGenerator(os)) {
            g.writeStartObject();
            g.writeNumberField("format", 1);
            g.writeArrayFieldStart("files");
            List<String> names = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                names.add(String.format(Locale.ROOT, "photos/%06d.jpg", i));
            }
            names.sort(null);
            for (String name : names) {
                Json.mapper().writeValue(g, record(name));
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    private static FileRecord record(String name) {
        byte[] key = new byte[61];
        String hash = "ab".repeat(32);
        ChunkRecord chunk = new ChunkRecord(0, ChunkId.random(), 4096 + 25, hash, List.of(NODES.get(0), NODES.get(1)));
        return new FileRecord(name, FileId.random(), 4096, 4 * 1024 * 1024, 1, hash,
                Base64.getEncoder().encodeToString(key), Instant.now(), List.of(chunk));
    }
}
