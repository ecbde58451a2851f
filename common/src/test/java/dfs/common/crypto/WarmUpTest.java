package dfs.common.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The crypto warm-up runs once per process, however many servers and masters start in it. */
class WarmUpTest {
    @Test
    void aSecondStartInTheSameProcessStartsNothing() {
        WarmUp.inBackground(); // started here, or already by an earlier test in this JVM

        assertThat(WarmUp.inBackground()).isFalse();
        assertThat(Thread.getAllStackTraces().keySet()).filteredOn(t -> t.getName().equals("dfs-crypto-warm-up"))
                .as("warm-up threads alive").hasSizeLessThanOrEqualTo(1);
    }
}
