package dfs.common.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * An exclusive {@link FileLock} on a lock file, which marks the one process (and the one owner in
 * it) allowed to use what the file guards. The operating system releases it when the process
 * ends, however it ends, so a leftover lock file without a holder means nothing.
 */
public final class ExclusiveLock {
    private ExclusiveLock() {}

    /**
     * Locks {@code lockFile}, creating it if missing.
     *
     * @return the channel that holds the lock (closing it releases the lock), or empty if another
     *     process, or another owner in this one, holds it
     */
    public static Optional<FileChannel> tryAcquire(Path lockFile) throws IOException {
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by another owner in this JVM
            }
            if (lock == null) {
                channel.close();
                return Optional.empty();
            }
            return Optional.of(channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }
}
