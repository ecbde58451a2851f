package dfs.master.testing;

import dfs.master.transfer.Progress;
import java.util.concurrent.atomic.AtomicLong;

/** A user who gives up on a transfer once a given number of bytes have gone through. */
public final class CancellingProgress implements Progress {
    private final long limit;
    private final AtomicLong done = new AtomicLong();

    private CancellingProgress(long limit) {
        this.limit = limit;
    }

    public static CancellingProgress after(long bytes) {
        return new CancellingProgress(bytes);
    }

    @Override
    public void advance(long bytes) {
        done.addAndGet(bytes);
    }

    @Override
    public boolean cancelled() {
        return done.get() >= limit;
    }
}
