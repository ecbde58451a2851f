package dfs.master.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dfs.common.wire.NodeId;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class CandidateBoardTest {
    private final CandidateBoard board = new CandidateBoard();

    @Test
    void resolutionWithoutTextDoesNotReplaceCompleteOne() {
        Candidate server = candidate(7001);
        board.offer("cs-1", new Verdict.Accepted(server));

        boolean needsText = board.offer("cs-1", new Verdict.WithoutText());

        assertThat(needsText).isFalse();
        assertThat(board.candidates()).containsExactly(server);
    }

    @Test
    void instanceWithoutTextIsNeitherCandidateNorRejected() {
        boolean needsText = board.offer("cs-1", new Verdict.WithoutText());

        assertThat(needsText).isTrue();
        assertThat(board.awaitsText("cs-1")).isTrue();
        assertThat(board.candidates()).isEmpty();
        assertThat(board.rejected()).isEmpty();
    }

    @Test
    void laterCompleteResolutionReplacesEarlierOne() {
        board.offer("cs-1", new Verdict.Accepted(candidate(7001)));
        board.offer("CS-1", new Verdict.Accepted(candidate(7002)));

        assertThat(board.candidates()).containsExactly(candidate(7002));
    }

    @Test
    void removedInstanceIsForgotten() {
        board.offer("cs-1", new Verdict.Accepted(candidate(7001)));

        board.remove("cs-1");

        assertThat(board.candidates()).isEmpty();
    }

    @Test
    void lateAnswerDoesNotBringBackRemovedInstance() {
        board.offer("cs-1", new Verdict.WithoutText());
        board.remove("cs-1");

        board.offerIfKnown("cs-1", new Verdict.Accepted(candidate(7001)));

        assertThat(board.candidates()).isEmpty();
    }

    @Test
    void answerToRequestCompletesKnownInstance() {
        board.offer("cs-1", new Verdict.WithoutText());

        board.offerIfKnown("cs-1", new Verdict.Accepted(candidate(7001)));

        assertThat(board.candidates()).containsExactly(candidate(7001));
        assertThat(board.awaitsText("cs-1")).isFalse();
    }

    @Test
    void giveUpOnTextDoesNotOverrideCompleteResolution() {
        board.offer("cs-1", new Verdict.Accepted(candidate(7001)));

        board.rejectIfStillWithoutText("cs-1", rejection("cs-1"));

        assertThat(board.rejected()).isEmpty();
        assertThat(board.candidates()).containsExactly(candidate(7001));
    }

    @Test
    void awaitReturnsAtOnceWhenEnoughAreKnown() {
        board.offer("cs-1", new Verdict.Accepted(candidate(7001)));

        // a wait of a whole day that returns proves it did not wait for the timeout
        assertThat(board.await(1, Duration.ofDays(1))).containsExactly(candidate(7001));
    }

    @Test
    void awaitReturnsWhatIsKnownWhenTimeoutPasses() {
        board.offer("cs-1", new Verdict.Accepted(candidate(7001)));
        board.offer("cs-2", new Verdict.Rejected(rejection("cs-2")));

        assertThat(board.await(2, Duration.ofMillis(50))).containsExactly(candidate(7001));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void awaitWakesWhenEnoughCandidatesArrive() throws Exception {
        CompletableFuture<List<Candidate>> waiting =
                CompletableFuture.supplyAsync(() -> board.await(2, Duration.ofDays(1)));

        board.offer("cs-1", new Verdict.Accepted(candidate(7001)));
        board.offer("cs-2", new Verdict.Accepted(candidate(7002)));

        assertThat(waiting.get()).containsExactly(candidate(7001), candidate(7002));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void closeWakesWaiters() throws Exception {
        CompletableFuture<List<Candidate>> waiting =
                CompletableFuture.supplyAsync(() -> board.await(1, Duration.ofDays(1)));

        board.close();

        assertThat(waiting.get()).isEmpty();
    }

    @Test
    void interruptedAwaitReturnsKeepingInterruptStatus() {
        Thread.currentThread().interrupt();
        try {
            assertThat(board.await(1, Duration.ofDays(1))).isEmpty();
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void awaitRefusesNegativeArguments() {
        assertThatThrownBy(() -> board.await(-1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> board.await(1, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Candidate candidate(int port) {
        return new Candidate(new InetSocketAddress("127.0.0.1", port),
                Optional.of(NodeId.parse("0123456789abcdef")), Optional.of("c0ffee"),
                Candidate.MDNS);
    }

    private static RejectedAnnouncement rejection(String instance) {
        return new RejectedAnnouncement(instance, Optional.empty(), Optional.empty(), "test");
    }
}
