package dfs.master.keys;

import dfs.common.crypto.Bindings;
import dfs.common.crypto.IntegrityException;
import dfs.common.crypto.MasterKey;
import dfs.common.crypto.MasterKeySet;
import dfs.master.metadata.FileRecord;
import dfs.master.metadata.MetadataStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rotates the master key by re-wrapping every file's data key; no chunk moves, no data key
 * changes. The order makes it crash-safe at every point:
 * <ol>
 *   <li>the next key is written durably to {@code master.key.next} (or the one left there by an
 *       interrupted run is taken up again);
 *   <li>each file whose data key is still wrapped under the current key is re-wrapped under the
 *       next one and committed to the metadata, up to {@value #FILES_PER_COMMIT} files at a time
 *       ({@link MetadataStore#putAll}: a few journal lines, each forced once);
 *   <li>{@code master.key.next} atomically replaces {@code master.key}.
 * </ol>
 * While {@code master.key.next} exists, the master unwraps with both keys ({@link MasterKeySet}),
 * so an interruption anywhere leaves every file readable, and running the rotation again finishes
 * it. Not thread-safe: the caller excludes uploads and other rotations while it runs.
 */
public final class Rekey {
    private static final Logger LOG = LoggerFactory.getLogger(Rekey.class);

    /** Files re-wrapped and committed together, under the commit lock. */
    static final int FILES_PER_COMMIT = 1000;

    /** Called after each commit of re-wrapped files; tests use it to interrupt a rotation midway. */
    @FunctionalInterface
    interface AfterCommit {
        void committed(int filesDone) throws IOException;
    }

    private final KeyFiles files;
    private final int filesPerCommit;
    private final AfterCommit afterCommit;

    /** A rotation of the keys in {@code files}. */
    public Rekey(KeyFiles files) {
        this(files, FILES_PER_COMMIT, done -> {});
    }

    Rekey(KeyFiles files, int filesPerCommit, AfterCommit afterCommit) {
        if (filesPerCommit < 1) {
            throw new IllegalArgumentException("filesPerCommit must be at least 1, not " + filesPerCommit);
        }
        this.files = Objects.requireNonNull(files, "files");
        this.filesPerCommit = filesPerCommit;
        this.afterCommit = Objects.requireNonNull(afterCommit, "afterCommit");
    }

    /**
     * What a rotation did.
     *
     * @param rewrapped files whose key this run re-wrapped
     * @param alreadyDone files found already under the new key (a resumed rotation)
     * @param keys the keys in use afterwards: the new key alone
     */
    public record Result(int rewrapped, int alreadyDone, MasterKeySet keys) {}

    /**
     * Runs the rotation over {@code metadata}.
     *
     * @param keys the keys in use now (with the next key if a rotation was interrupted)
     * @param commitLock the lock every writer of file records holds around its read-modify-write,
     *     so no concurrent change puts back a record with the old wrapping
     * @param install told of each change of the keys in use, as soon as it is durable
     * @throws IntegrityException if a file's key opens under neither key; nothing is lost, the
     *     rotation stops before the old key is replaced
     */
    public Result run(MetadataStore metadata, MasterKeySet keys, Object commitLock, Consumer<MasterKeySet> install)
            throws IOException {
        MasterKey next = keys.isRotating() ? keys.next().get() : files.beginRotation();
        MasterKeySet both = MasterKeySet.rotating(keys.current(), next);
        install.accept(both);
        LOG.info("rekey: re-wrapping the data keys of {} files under a new master key ({})", metadata.size(),
                files.nextFile());
        int rewrapped = 0;
        int already = 0;
        List<FileRecord> listed = metadata.list();
        for (int from = 0; from < listed.size(); from += filesPerCommit) {
            List<FileRecord> slice = listed.subList(from, Math.min(listed.size(), from + filesPerCommit));
            int changed;
            synchronized (commitLock) {
                changed = rewrap(metadata, both, slice.stream()
                        .flatMap(f -> metadata.get(f.name()).stream()).toList());
            }
            already += slice.size() - changed;
            if (changed > 0) {
                rewrapped += changed;
                afterCommit.committed(rewrapped);
            }
        }
        synchronized (commitLock) {
            // a last check under the lock, so the old key is only dropped when nothing needs it
            int late = rewrap(metadata, both, metadata.list());
            rewrapped += late;
            already -= late;
            files.finishRotation();
            MasterKeySet after = MasterKeySet.of(next);
            install.accept(after);
            LOG.info("rekey: done; {} files re-wrapped, {} already under the new key; {} replaced",
                    rewrapped, already, files.file());
            return new Result(rewrapped, Math.max(0, already), after);
        }
    }

    /** Re-wraps the files not under the next key yet, and commits them; how many there were. */
    private static int rewrap(MetadataStore metadata, MasterKeySet both, List<FileRecord> files) throws IOException {
        List<FileRecord> rewrapped = new ArrayList<>();
        for (FileRecord f : files) {
            rewrap(both, f).ifPresent(rewrapped::add);
        }
        metadata.putAll(rewrapped);
        return rewrapped.size();
    }

    /** {@code f} with its key re-wrapped under the next key, unless it is already. */
    private static Optional<FileRecord> rewrap(MasterKeySet both, FileRecord f) throws IntegrityException {
        byte[] aad = Bindings.fileKey(f.fileId().hex(), f.size(), f.chunkSize(), f.chunkCount(), f.sha256());
        MasterKeySet.Unwrapped key;
        try {
            key = both.unwrap(f.wrappedKey(), aad, f.name());
        } catch (IntegrityException e) {
            throw new IntegrityException("rekey stopped at " + f.name()
                    + ": its key opens under neither the old nor the new master key (" + e.getMessage()
                    + "); both keys are kept, so nothing is lost; delete or restore that file and run rekey again");
        }
        if (key.underWrappingKey()) {
            return Optional.empty();
        }
        return Optional.of(new FileRecord(f.name(), f.fileId(), f.size(), f.chunkSize(), f.chunkCount(), f.sha256(),
                both.wrapping().wrap(key.key(), aad), f.created(), f.chunks()));
    }
}
