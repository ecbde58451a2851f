package dfs.master.repair;

import static org.assertj.core.api.Assertions.assertThat;

import dfs.common.wire.ChunkId;
import java.util.List;
import org.junit.jupiter.api.Test;

class InFlightChunksTest {
    private final InFlightChunks chunks = new InFlightChunks();
    private final ChunkId a = ChunkId.random();
    private final ChunkId b = ChunkId.random();

    @Test
    void aClaimIsExclusiveUntilReleased() {
        assertThat(chunks.claim(a)).isTrue();
        assertThat(chunks.claim(a)).isFalse();
        assertThat(chunks.claim(b)).as("other ids are independent").isTrue();
        chunks.release(a);
        assertThat(chunks.isBusy(a)).isFalse();
        assertThat(chunks.claim(a)).isTrue();
    }

    @Test
    void releaseAllGivesBackEveryIdListed() {
        chunks.claim(a);
        chunks.claim(b);
        chunks.releaseAll(List.of(a, b));
        assertThat(chunks.size()).isZero();
    }
}
