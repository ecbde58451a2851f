package dfs.master.keys;

import dfs.common.crypto.Bindings;
import dfs.common.crypto.IntegrityException;
import dfs.common.crypto.MasterKey;
import dfs.common.crypto.MasterKeySet;
import dfs.master.metadata.FileRecord;
import dfs.master.metadata.MetadataStore;
import java.io.IOException;
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
 *       next one and committed to the metadata (one journaled, fsynced put per file);
 *   <li>{@code master.key.next} atomically replaces {@code master.key}.
 * </ol>
 * While {@code master.key.next} exists, the master unwraps with both keys ({@link MasterKeySet}),
 * so an interruption anywhere leaves every file readable, and running the rotation again finishes
 * it. Not thread-safe: the caller excludes uploads and other rotations while it runs.
 */
public final class Rekey {
    private static final Logger LOG = LoggerFactory.getLogger(Rekey.class);

    /** Called after each file is committed; tests use it to interrupt a rotation midway. */
    @FunctionalInterface
    interface AfterFile {
        void committed(int filesDone) throws IOException;
    }

    private final KeyFiles files;
    private final AfterFile afterFile;

    /** A rotation of the keys in {@code files}. */
    public Rekey(KeyFiles files) {
        this(files, done -> {});
    }

    Rekey(KeyFiles files, AfterFile afterFile) {
        this.files = Objects.requireNonNull(files, "files");
        this.afterFile = Objects.requireNonNull(afterFile, "afterFile");
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
        for (FileRecord listed : metadata.list()) {
            boolean changed;
            synchronized (commitLock) {
                Optional<FileRecord> now = metadata.get(listed.name());
                changed = now.isPresent() && rewrap(metadata, both, now.get());
            }
            if (changed) {
                rewrapped++;
                afterFile.committed(rewrapped);
            } else {
                already++;
            }
        }
        synchronized (commitLock) {
            // a last check under the lock, so the old key is only dropped when nothing needs it
            for (FileRecord f : metadata.list()) {
                if (rewrap(metadata, both, f)) {
                    rewrapped++;
                    already--;
                }
            }
            files.finishRotation();
            MasterKeySet after = MasterKeySet.of(next);
            install.accept(after);
            LOG.info("rekey: done; {} files re-wrapped, {} already under the new key; {} replaced",
                    rewrapped, already, files.file());
            return new Result(rewrapped, Math.max(0, already), after);
        }
    }

    /** Re-wraps {@code f} under the next key if it is not already; whether it did. */
    private static boolean rewrap(MetadataStore metadata, MasterKeySet both, FileRecord f) throws IOException {
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
            return false;
        }
        metadata.put(new FileRecord(f.name(), f.fileId(), f.size(), f.chunkSize(), f.chunkCount(), f.sha256(),
                both.wrapping().wrap(key.key(), aad), f.created(), f.chunks()));
        return true;
    }
}
