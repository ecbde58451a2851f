package dfs.master.metadata;

import java.time.Instant;
import java.util.Objects;

/**
 * What a listing shows of a stored file: its name, plaintext size, number of chunks and upload
 * time. A one-shot {@code list} reads only these from the metadata ({@link MetadataStore#summaries}),
 * which is much less work than whole {@link FileRecord}s. Immutable and thread-safe.
 */
public record FileSummary(String name, long size, int chunkCount, Instant created) {
    public FileSummary {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(created, "created");
    }
}
