package dfs.chunkserver.store;

import dfs.common.wire.ChunkListing;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Background integrity checking of a {@link ChunkStore}: one thread walks every stored chunk,
 * re-hashes it ({@link ChunkStore#verify}) and moves a corrupt one (bit rot, truncation, a damaged
 * header) to quarantine, after which it reads as missing and the master re-creates it from a good
 * copy. It paces itself by a {@link ScrubPolicy} so it never competes hard with client traffic.
 * Results are counted in the store ({@link ChunkStore#scrubSummary}).
 *
 * <p>Thread-safe: {@link #close} may be called from any thread, and returns once the scrubbing
 * thread has finished the chunk it was checking.
 */
public final class Scrubber implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Scrubber.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    /** How the scrubber rests; tests substitute one that records the requested pauses. */
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final ChunkStore store;
    private final ScrubPolicy policy;
    private final Clock clock;
    private final Sleeper sleeper;
    private final CountDownLatch stop = new CountDownLatch(1);
    private Thread thread;

    Scrubber(ChunkStore store, ScrubPolicy policy, Clock clock, Sleeper sleeper) {
        this.store = Objects.requireNonNull(store, "store");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = sleeper != null ? sleeper : this::restUnlessStopped;
    }

    /** Starts scrubbing {@code store} in a daemon thread; the first pass begins at once. */
    public static Scrubber start(ChunkStore store, ScrubPolicy policy) {
        Scrubber scrubber = new Scrubber(store, policy, Clock.systemUTC(), null);
        scrubber.thread = new Thread(scrubber::run, "scrubber-" + store.nodeId());
        scrubber.thread.setDaemon(true);
        scrubber.thread.start();
        return scrubber;
    }

    private void run() {
        LOG.info("scrubbing {} at up to {} bytes/s, a full pass every {}", store.root(), policy.bytesPerSecond(),
                policy.interval());
        try {
            while (!stopped()) {
                Instant started = clock.instant();
                if (!runPass()) {
                    return;
                }
                Duration rest = policy.interval().minus(Duration.between(started, clock.instant()));
                sleeper.sleep(rest.compareTo(policy.pauseBetweenChunks()) > 0 ? rest : policy.pauseBetweenChunks());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("scrubber of {} stopped by an unexpected error; restart the server to resume it",
                    store.root(), e);
        }
    }

    /**
     * One pass over every chunk stored when it begins, pausing after each as the policy asks.
     *
     * @return false if the scrubber was stopped before the pass ended
     */
    boolean runPass() throws InterruptedException {
        for (ChunkListing.Entry entry : store.list()) {
            if (stopped()) {
                return false;
            }
            Instant began = clock.instant();
            scrub(entry);
            long fileBytes = entry.size() + ChunkFileFormat.HEADER_BYTES;
            sleeper.sleep(policy.pauseAfter(fileBytes, Duration.between(began, clock.instant())));
        }
        store.scrubCounters().fullPassEnded(clock.instant());
        return true;
    }

    private void scrub(ChunkListing.Entry entry) {
        try {
            VerifyResult result = store.verify(entry.id());
            if (result.status() == VerifyResult.Status.MISSING) {
                return; // deleted since the pass began
            }
            store.scrubCounters().chunkScrubbed();
            if (result.status() == VerifyResult.Status.CORRUPT) {
                store.quarantine(entry.id());
            }
        } catch (IOException e) {
            LOG.warn("scrubber cannot read chunk {} ({}); it tries again in the next pass", entry.id(), e.toString());
        }
    }

    private boolean stopped() {
        return stop.getCount() == 0;
    }

    private void restUnlessStopped(Duration duration) throws InterruptedException {
        stop.await(duration.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Stops scrubbing, waiting for the chunk being checked. Idempotent. */
    @Override
    public void close() {
        stop.countDown();
        if (thread == null) {
            return;
        }
        try {
            thread.join(STOP_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("scrubber of {} still busy after {}; leaving it to end with the process", store.root(), STOP_WAIT);
        }
    }
}
