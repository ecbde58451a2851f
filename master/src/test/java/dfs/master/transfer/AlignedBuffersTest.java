package dfs.master.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link AlignedBuffers}: aligned buffers of the size asked for, reused once handed back. */
class AlignedBuffersTest {
    private static final int BLOCK = 4096;

    @Test
    void aBufferHasTheSizeAskedForAtABlockAlignedAddress() {
        AlignedBuffers buffers = new AlignedBuffers(4);

        AlignedBuffers.Slot slot = buffers.take(3 * BLOCK, BLOCK);

        assertThat(slot.aligned().isDirect()).isTrue();
        assertThat(slot.aligned().capacity()).isEqualTo(3 * BLOCK);
        assertThat(slot.aligned().remaining()).isEqualTo(3 * BLOCK);
        assertThat(slot.aligned().alignmentOffset(0, BLOCK)).isZero();
    }

    @Test
    void aBufferHandedBackServesTheNextRequestThatFitsIt() {
        AlignedBuffers buffers = new AlignedBuffers(4);
        AlignedBuffers.Slot first = buffers.take(4 * BLOCK, BLOCK);
        first.aligned().put(new byte[100]);
        buffers.give(first);

        AlignedBuffers.Slot again = buffers.take(2 * BLOCK, BLOCK);

        assertThat(again.whole()).isSameAs(first.whole());
        assertThat(again.aligned().capacity()).isEqualTo(2 * BLOCK);
        assertThat(again.aligned().position()).isZero();
        assertThat(again.aligned().alignmentOffset(0, BLOCK)).isZero();
        assertThat(buffers.allocations()).isEqualTo(1);
    }

    @Test
    void aLargerRequestGetsANewBufferAndTheSmallOneStaysIdle() {
        AlignedBuffers buffers = new AlignedBuffers(4);
        AlignedBuffers.Slot small = buffers.take(BLOCK, BLOCK);
        buffers.give(small);

        AlignedBuffers.Slot large = buffers.take(8 * BLOCK, BLOCK);

        assertThat(large.whole()).isNotSameAs(small.whole());
        assertThat(buffers.take(BLOCK, BLOCK).whole()).isSameAs(small.whole());
        assertThat(buffers.allocations()).isEqualTo(2);
    }

    @Test
    void noMoreThanMaxIdleBuffersAreKept() {
        AlignedBuffers buffers = new AlignedBuffers(2);
        AlignedBuffers.Slot a = buffers.take(BLOCK, BLOCK);
        AlignedBuffers.Slot b = buffers.take(BLOCK, BLOCK);
        AlignedBuffers.Slot c = buffers.take(BLOCK, BLOCK);
        buffers.give(a);
        buffers.give(b);
        buffers.give(c); // dropped

        buffers.take(BLOCK, BLOCK);
        buffers.take(BLOCK, BLOCK);
        buffers.take(BLOCK, BLOCK);

        assertThat(buffers.allocations()).isEqualTo(4);
    }
}
