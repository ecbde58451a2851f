package dfs.chunkserver.store;

import static org.assertj.core.api.Assertions.assertThat;

import dfs.common.wire.ChunkId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scrubber re-hashes every chunk at a bounded pace and quarantines the corrupt ones. */
class ScrubberTest {
    private static final ScrubPolicy FAST = new ScrubPolicy(Duration.ofMillis(20), 1L << 40, Duration.ZERO);
    private static final int MIB = 1024 * 1024;

    @TempDir
    Path root;

    private final ManualTime time = new ManualTime();

    @Test
    void aPassQuarantinesFlippedTruncatedAndMisheadedChunksAndLeavesTheRest() throws Exception {
        ChunkStore store = ChunkStore.openAt(root);
        ChunkId flipped = Damage.store(store, 70_000, 1);
        ChunkId truncated = Damage.store(store, 70_000, 2);
        ChunkId misheaded = Damage.store(store, 70_000, 3);
        List<ChunkId> healthy = List.of(Damage.store(store, 70_000, 4), Damage.store(store, 10, 5),
                Damage.store(store, 0, 6));
        Damage.flipBit(Damage.file(root, flipped), ChunkFileFormat.HEADER_BYTES + 65_537);
        Damage.truncate(Damage.file(root, truncated), ChunkFileFormat.HEADER_BYTES + 1000);
        Damage.flipBit(Damage.file(root, misheaded), 20); // inside the recorded chunk id

        assertThat(scrubber(store, FAST).runPass()).isTrue();

        assertThat(store.list()).extracting(e -> e.id()).containsExactlyInAnyOrderElementsOf(healthy);
        for (ChunkId id : List.of(flipped, truncated, misheaded)) {
            assertThat(store.open(id)).as("%s", id).isEmpty();
        }
        assertThat(Damage.quarantined(root)).containsExactlyInAnyOrder(flipped.hex() + ".1", truncated.hex() + ".1",
                misheaded.hex() + ".1");
        for (ChunkId id : healthy) {
            assertThat(store.verify(id).status()).isEqualTo(VerifyResult.Status.OK);
        }
    }

    @Test
    void aPassCountsWhatItCheckedAndWhenItEnded() throws Exception {
        ChunkStore store = ChunkStore.openAt(root);
        for (int i = 0; i < 4; i++) {
            Damage.store(store, 1000, i);
        }
        ChunkId rotten = Damage.store(store, 1000, 9);
        Damage.truncate(Damage.file(root, rotten), 10);
        assertThat(store.scrubSummary().lastFullPass()).isNull();

        scrubber(store, FAST).runPass();

        assertThat(store.scrubSummary().chunksScrubbed()).isEqualTo(5);
        assertThat(store.scrubSummary().corruptFound()).isEqualTo(1);
        assertThat(store.scrubSummary().lastFullPass()).isEqualTo(time.instant());
    }

    @Test
    void pausesKeepTheAverageRateAndNeverFallBelowTheMinimumPause() throws Exception {
        ChunkStore store = ChunkStore.openAt(root);
        int[] payloads = {0, 1000, MIB - ChunkFileFormat.HEADER_BYTES, 3 * MIB - ChunkFileFormat.HEADER_BYTES};
        for (int i = 0; i < payloads.length; i++) {
            Damage.store(store, payloads[i], i);
        }
        ScrubPolicy policy = new ScrubPolicy(Duration.ofHours(1), MIB, Duration.ofMillis(5));

        scrubber(store, policy).runPass();

        // the manual clock stands still while a chunk is checked, so each pause is the chunk's whole budget
        assertThat(time.pauses).containsExactlyInAnyOrder(Duration.ofMillis(5), Duration.ofMillis(5),
                Duration.ofSeconds(1), Duration.ofSeconds(3));
    }

    @Test
    void timeSpentCheckingCountsAgainstThePause() {
        ScrubPolicy policy = new ScrubPolicy(Duration.ofHours(1), MIB, Duration.ofMillis(5));

        assertThat(policy.pauseAfter(MIB, Duration.ofMillis(400))).isEqualTo(Duration.ofMillis(600));
        assertThat(policy.pauseAfter(MIB, Duration.ofSeconds(2))).isEqualTo(Duration.ofMillis(5));
    }

    @Test
    void aRunningScrubberQuarantinesChunksThatRotWhileItRuns() throws Exception {
        ChunkStore store = ChunkStore.openAt(root);
        ChunkId good = Damage.store(store, 50_000, 1);
        ChunkId flipped = Damage.store(store, 50_000, 2);
        ChunkId truncated = Damage.store(store, 50_000, 3);
        ChunkId misheaded = Damage.store(store, 50_000, 4);
        try (Scrubber scrubber = Scrubber.start(store, FAST)) {
            awaitCondition("a first full pass", () -> store.scrubSummary().lastFullPass() != null);
            Damage.flipBit(Damage.file(root, flipped), Files.size(Damage.file(root, flipped)) - 1);
            Damage.truncate(Damage.file(root, truncated), 63);
            Damage.flipBit(Damage.file(root, misheaded), 0);

            awaitCondition("three chunks in quarantine", () -> store.scrubSummary().corruptFound() == 3);
        }
        assertThat(store.list()).extracting(e -> e.id()).containsExactly(good);
        assertThat(store.verify(good).status()).isEqualTo(VerifyResult.Status.OK);
    }

    private Scrubber scrubber(ChunkStore store, ScrubPolicy policy) {
        return new Scrubber(store, policy, time, time);
    }

    private static void awaitCondition(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10); // polling a condition another thread brings about
        }
    }

    /** A clock that moves only when the scrubber sleeps, recording every pause it asks for. */
    private static final class ManualTime extends Clock implements Scrubber.Sleeper {
        final List<Duration> pauses = new ArrayList<>();
        private Instant now = Instant.parse("2030-01-01T00:00:00Z");

        @Override
        public void sleep(Duration duration) {
            pauses.add(duration);
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
