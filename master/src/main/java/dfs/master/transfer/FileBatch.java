package dfs.master.transfer;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one transfer per file, several at once, as a folder upload or download does: a file's
 * transfer mostly waits for forced disk writes (on the chunk servers, in the metadata journal),
 * so small files go many at a time. The data in flight stays bounded by {@code byteBudget}, the
 * same bound a single large file's pipeline keeps: each transfer holds its file's size (at most
 * the budget) while it runs, so a large file runs alone and small ones share the budget.
 *
 * <p>Transfers start in order; after the first failure no new one starts, the running ones finish,
 * and the outcome names the first file that failed. Stateless; one call is one batch.
 */
public final class FileBatch {
    private static final int KIB = 1024;

    private FileBatch() {}

    /** One file's transfer. */
    @FunctionalInterface
    public interface Transfer<R> {
        R run() throws IOException;
    }

    /** A transfer and the bytes it moves. */
    public record Job<R>(long bytes, Transfer<R> transfer) {}

    /**
     * What a batch did: the results of the transfers that completed, in job order, and the first
     * failure (in job order) with the index of its job.
     */
    public record Outcome<R>(List<R> completed, Optional<Failure> failure) {}

    /** The first job that failed, and why. */
    public record Failure(int index, Exception cause) {}

    /**
     * Runs {@code jobs} with at most {@code maxJobs} at once and at most {@code byteBudget} bytes in
     * flight, on threads from {@code threads}.
     */
    public static <R> Outcome<R> run(List<Job<R>> jobs, int maxJobs, long byteBudget, ThreadFactory threads)
            throws InterruptedIOException {
        if (maxJobs < 1 || byteBudget < KIB) {
            throw new IllegalArgumentException("need at least one job and 1 KiB at a time, got " + maxJobs
                    + " jobs and " + byteBudget + " bytes");
        }
        int budget = (int) Math.min(Integer.MAX_VALUE, byteBudget / KIB);
        Semaphore bytes = new Semaphore(budget);
        Semaphore slots = new Semaphore(maxJobs);
        AtomicReference<Failure> first = new AtomicReference<>();
        List<Future<R>> started = new ArrayList<>(jobs.size());
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(maxJobs, Math.max(1, jobs.size())),
                threads);
        try {
            for (int i = 0; i < jobs.size() && first.get() == null; i++) {
                Job<R> job = jobs.get(i);
                int permits = (int) Math.max(1, Math.min(budget, (job.bytes() + KIB - 1) / KIB));
                slots.acquire();
                bytes.acquire(permits);
                int index = i;
                started.add(pool.submit(() -> {
                    try {
                        return job.transfer().run();
                    } catch (IOException | RuntimeException e) {
                        first.accumulateAndGet(new Failure(index, e),
                                (a, b) -> a == null || b.index() < a.index() ? b : a);
                        throw e;
                    } finally {
                        bytes.release(permits);
                        slots.release();
                    }
                }));
            }
            List<R> completed = new ArrayList<>(started.size());
            for (Future<R> f : started) {
                try {
                    completed.add(f.get());
                } catch (ExecutionException e) {
                    // recorded in `first` by the job itself
                }
            }
            return new Outcome<>(completed, Optional.ofNullable(first.get()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pool.shutdownNow();
            throw new InterruptedIOException("interrupted with " + started.size() + " of " + jobs.size()
                    + " transfers started");
        } finally {
            pool.shutdown();
        }
    }
}
