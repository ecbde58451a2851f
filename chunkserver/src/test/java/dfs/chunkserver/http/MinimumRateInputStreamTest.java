package dfs.chunkserver.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The upload rate floor, on a hand-driven clock. */
class MinimumRateInputStreamTest {
    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong now = new AtomicLong(5 * SECOND);

    private MinimumRateInputStream stream(int size) {
        return new MinimumRateInputStream(new ByteArrayInputStream(new byte[size]), 1000, 10 * SECOND, now::get, "body");
    }

    @Test
    void aSmallBodyReadLateWithinTheGracePeriodIsAccepted() throws Exception {
        MinimumRateInputStream in = stream(1);
        now.addAndGet(9 * SECOND);

        assertThat(in.read()).isZero();
        assertThat(in.read()).isEqualTo(-1);
    }

    @Test
    void aBodyBelowTheRateAfterTheGracePeriodIsCutWith408() throws Exception {
        MinimumRateInputStream in = stream(100);
        in.read(new byte[10]);
        now.addAndGet(12 * SECOND); // 2 s past the grace: 2,000 bytes expected, 11 arrived

        assertThatThrownBy(() -> in.read()).isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(408))
                .hasMessageContaining("less than 1000 bytes/s");
    }

    @Test
    void aBodyAboveTheRateIsNeverCut() throws Exception {
        MinimumRateInputStream in = stream(100_000);
        byte[] buf = new byte[5000];
        for (int i = 0; i < 20; i++) {
            now.addAndGet(SECOND);
            assertThat(in.read(buf)).isEqualTo(5000);
        }
    }

    @Test
    void readsIntoABufferAreCountedAgainstTheRateToo() throws Exception {
        MinimumRateInputStream in = stream(100);
        ByteBuffer buf = ByteBuffer.allocateDirect(10);
        assertThat(in.read(buf)).isEqualTo(10);
        assertThat(buf.position()).isEqualTo(10);
        now.addAndGet(12 * SECOND); // 2 s past the grace: 2,000 bytes expected, 10 arrived

        assertThatThrownBy(() -> in.read(buf.clear())).isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(408));
    }

    @Test
    void aBufferIsFilledWithTheBodysBytesUpToItsEnd() throws Exception {
        byte[] body = "chunk bytes".getBytes(StandardCharsets.US_ASCII);
        MinimumRateInputStream in = new MinimumRateInputStream(new ByteArrayInputStream(body), 1000,
                10 * SECOND, now::get, "body");
        ByteBuffer buf = ByteBuffer.allocateDirect(64);

        assertThat(in.read(buf)).isEqualTo(body.length);
        assertThat(in.read(buf)).isEqualTo(-1);
        byte[] got = new byte[body.length];
        buf.flip().get(got);
        assertThat(got).isEqualTo(body);
        assertThat(in.isOpen()).isTrue();
        in.close();
        assertThat(in.isOpen()).isFalse();
    }
}
