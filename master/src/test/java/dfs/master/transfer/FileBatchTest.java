package dfs.master.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A folder's files go several at a time, within a bound on the bytes in flight. */
class FileBatchTest {
    private static final long KIB = 1024;

    @Test
    void smallFilesRunTogether() throws Exception {
        CountDownLatch allRunning = new CountDownLatch(4);
        List<FileBatch.Job<Boolean>> jobs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            jobs.add(new FileBatch.Job<>(4 * KIB, () -> {
                allRunning.countDown();
                return await(allRunning); // true only if the four were running at the same time
            }));
        }

        FileBatch.Outcome<Boolean> outcome = FileBatch.run(jobs, 4, 64 * KIB, Executors.defaultThreadFactory());

        assertThat(outcome.completed()).containsExactly(true, true, true, true);
        assertThat(outcome.failure()).isEmpty();
    }

    @Test
    void theBytesInFlightNeverExceedTheBudgetAndALargeFileRunsAlone() throws Exception {
        AtomicLong inFlight = new AtomicLong();
        AtomicLong peak = new AtomicLong();
        ConcurrentLinkedQueue<Long> seenWithLarge = new ConcurrentLinkedQueue<>();
        List<FileBatch.Job<Long>> jobs = new ArrayList<>();
        long[] sizes = {10 * KIB, 30 * KIB, 500 * KIB, 20 * KIB, 40 * KIB, 10 * KIB, 30 * KIB};
        for (long size : sizes) {
            jobs.add(new FileBatch.Job<>(size, () -> {
                long now = inFlight.addAndGet(Math.min(size, 64 * KIB));
                peak.accumulateAndGet(now, Math::max);
                sleep(20);
                if (size > 64 * KIB) {
                    seenWithLarge.add(inFlight.get());
                }
                inFlight.addAndGet(-Math.min(size, 64 * KIB));
                return size;
            }));
        }

        FileBatch.Outcome<Long> outcome = FileBatch.run(jobs, 8, 64 * KIB, Executors.defaultThreadFactory());

        assertThat(outcome.completed()).containsExactly(10 * KIB, 30 * KIB, 500 * KIB, 20 * KIB, 40 * KIB, 10 * KIB, 30 * KIB);
        assertThat(peak.get()).isLessThanOrEqualTo(64 * KIB);
        assertThat(seenWithLarge).containsExactly(64 * KIB); // nothing else ran beside the large file
    }

    @Test
    void noMoreThanMaxJobsRunAtOnce() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        List<FileBatch.Job<Integer>> jobs = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            int n = i;
            jobs.add(new FileBatch.Job<>(1, () -> {
                peak.accumulateAndGet(running.incrementAndGet(), Math::max);
                sleep(10);
                running.decrementAndGet();
                return n;
            }));
        }

        FileBatch.Outcome<Integer> outcome = FileBatch.run(jobs, 3, 1024 * KIB, Executors.defaultThreadFactory());

        assertThat(outcome.completed()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        assertThat(peak.get()).isBetween(1, 3);
    }

    @Test
    void afterAFailureNoNewFileStartsAndTheFirstFailureIsNamed() throws Exception {
        AtomicInteger started = new AtomicInteger();
        List<FileBatch.Job<Integer>> jobs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            int n = i;
            jobs.add(new FileBatch.Job<>(1, () -> {
                started.incrementAndGet();
                if (n == 2) {
                    throw new IOException("disk gone");
                }
                sleep(5);
                return n;
            }));
        }

        FileBatch.Outcome<Integer> outcome = FileBatch.run(jobs, 2, 1024 * KIB, Executors.defaultThreadFactory());

        assertThat(outcome.failure()).hasValueSatisfying(f -> {
            assertThat(f.index()).isEqualTo(2);
            assertThat(f.cause()).hasMessage("disk gone");
        });
        assertThat(outcome.completed()).startsWith(0, 1).doesNotContain(2);
        assertThat(started.get()).isLessThan(10); // the other 40-odd files never started
    }

    private static boolean await(CountDownLatch latch) {
        try {
            return latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
