package dfs.master.repair;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HealerPacingTest {
    private static final Duration INTERVAL = Duration.ofSeconds(2);

    @Test
    void quickScansRunEveryInterval() {
        assertThat(Healer.pace(INTERVAL, Duration.ofMillis(40))).isEqualTo(INTERVAL);
        assertThat(Healer.pace(INTERVAL, Duration.ZERO)).isEqualTo(INTERVAL);
    }

    @Test
    void slowScansWaitLongEnoughToTakeOneTwentiethOfTheTime() {
        Duration scan = Duration.ofMillis(900); // a cluster of millions of chunks
        Duration wait = Healer.pace(INTERVAL, scan);
        assertThat(wait).isEqualTo(Duration.ofMillis(900 * 19));
        assertThat((double) scan.toNanos() / scan.plus(wait).toNanos()).isEqualTo(1.0 / Healer.SCAN_PACE);
    }
}
