package dfs.common.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChunkSealTest {
    private static final int SEG = ChunkSeal.SEGMENT;
    private static final String FILE = "0123456789abcdef0123456789abcdef";
    private final SecretKey256 key = SecretKey256.generate();
    private final byte[] aad = Bindings.chunk(FILE, 3, 10);

    private static byte[] random(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, SEG - 1, SEG, SEG + 1, 3 * SEG, 3 * SEG + 7, 4 * 1024 * 1024})
    void aSealedChunkOpensToItsPlaintext(int size) throws Exception {
        byte[] plain = random(size);
        byte[] sealed = ChunkSeal.seal(key, aad, plain, 0, size);
        assertThat(sealed).hasSize(ChunkSeal.sealedLength(size));
        assertThat(ChunkSeal.plainLength(sealed.length)).isEqualTo(size);
        assertThat(ChunkSeal.open(key, aad, sealed, 0, sealed.length, "chunk")).isEqualTo(plain);
    }

    @Test
    void onlyTheGivenPartOfTheBufferIsSealed() throws Exception {
        byte[] buf = "xxhello worldyy".getBytes(StandardCharsets.US_ASCII);
        byte[] sealed = ChunkSeal.seal(key, aad, buf, 2, 11);
        assertThat(new String(ChunkSeal.open(key, aad, sealed, 0, sealed.length, "c"), StandardCharsets.US_ASCII))
                .isEqualTo("hello world");
    }

    @Test
    void buffersReusedBetweenChunksSealAndOpenEachChunkAfresh() throws Exception {
        byte[] sealed = new byte[ChunkSeal.sealedLength(3 * SEG)];
        byte[] plain = new byte[3 * SEG];
        for (int chunk = 0; chunk < 3; chunk++) {
            byte[] data = random(3 * SEG + chunk);
            byte[] chunkAad = Bindings.chunk(FILE, chunk, 3);
            ChunkSeal.sealInto(key, chunkAad, data, 0, plain.length, sealed);
            Arrays.fill(plain, (byte) 0x5a); // what the previous chunk left is overwritten, not trusted
            int n = ChunkSeal.openInto(key, chunkAad, sealed, 0, sealed.length, "chunk " + chunk, plain);
            assertThat(n).isEqualTo(plain.length);
            assertThat(plain).isEqualTo(Arrays.copyOf(data, plain.length));
        }
    }

    @Test
    void aBufferTooSmallForTheChunkIsRefused() {
        assertThatThrownBy(() -> ChunkSeal.sealInto(key, aad, random(SEG), 0, SEG, new byte[SEG]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs " + ChunkSeal.sealedLength(SEG));
    }

    @Test
    void sealedBytesHoldNoPlaintext() {
        byte[] plain = "a sentence that must never be stored in the clear. ".repeat(2000).getBytes(StandardCharsets.UTF_8);
        String sealed = new String(ChunkSeal.seal(key, aad, plain, 0, plain.length), StandardCharsets.ISO_8859_1);
        assertThat(sealed).doesNotContain("must never be stored");
    }

    @Test
    void aFlippedBitInAnySegmentIsDetected() {
        byte[] sealed = ChunkSeal.seal(key, aad, random(3 * SEG), 0, 3 * SEG);
        for (int at : new int[] {1, 20, SEG + 100, 2 * SEG + 40, sealed.length - 1}) {
            byte[] bad = sealed.clone();
            bad[at] ^= 1;
            assertThatThrownBy(() -> ChunkSeal.open(key, aad, bad, 0, bad.length, "chunk 3 of f"))
                    .as("flip at %d", at).isInstanceOf(IntegrityException.class)
                    .hasMessageStartingWith("chunk 3 of f failed authentication");
        }
    }

    @Test
    void cuttingAChunkAtASegmentBoundaryIsDetected() {
        byte[] sealed = ChunkSeal.seal(key, aad, random(3 * SEG), 0, 3 * SEG);
        int twoSegments = ChunkSeal.sealedLength(2 * SEG);
        assertThat(ChunkSeal.plainLength(twoSegments)).isEqualTo(2 * SEG);
        assertThatThrownBy(() -> ChunkSeal.open(key, aad, sealed, 0, twoSegments, "c"))
                .isInstanceOf(IntegrityException.class).hasMessageContaining("failed authentication");
    }

    @Test
    void swappingTwoSegmentsIsDetected() {
        byte[] sealed = ChunkSeal.seal(key, aad, random(2 * SEG), 0, 2 * SEG);
        int seg = SEG + Aead.TAG_BYTES;
        int first = 1 + 8;
        byte[] swapped = sealed.clone();
        System.arraycopy(sealed, first, swapped, first + seg, seg);
        System.arraycopy(sealed, first + seg, swapped, first, seg);
        assertThat(swapped).isNotEqualTo(sealed);
        assertThatThrownBy(() -> ChunkSeal.open(key, aad, swapped, 0, swapped.length, "c"))
                .isInstanceOf(IntegrityException.class);
    }

    @Test
    void lengthsNoChunkCanHaveAreRefusedBeforeDecrypting() {
        byte[] sealed = ChunkSeal.seal(key, aad, random(SEG + 10), 0, SEG + 10);
        byte[] cut = Arrays.copyOf(sealed, ChunkSeal.sealedLength(SEG) + 3); // a partial tag
        assertThatThrownBy(() -> ChunkSeal.open(key, aad, cut, 0, cut.length, "c"))
                .isInstanceOf(IntegrityException.class).hasMessageContaining("cut or extended");
        assertThatThrownBy(() -> ChunkSeal.open(key, aad, sealed, 0, 5, "c"))
                .isInstanceOf(IntegrityException.class).hasMessageContaining("shorter than any sealed chunk");
    }

    @Test
    void aChunkMovedToAnotherIndexFileOrCountIsDetected() {
        byte[] sealed = ChunkSeal.seal(key, aad, random(100), 0, 100);
        for (byte[] other : new byte[][] {Bindings.chunk(FILE, 4, 10), Bindings.chunk(FILE, 3, 9),
            Bindings.chunk("ffffffffffffffffffffffffffffffff", 3, 10)}) {
            assertThatThrownBy(() -> ChunkSeal.open(key, other, sealed, 0, sealed.length, "c"))
                    .isInstanceOf(IntegrityException.class);
        }
    }

    @Test
    void anotherKeyCannotOpen() {
        byte[] sealed = ChunkSeal.seal(key, aad, random(10), 0, 10);
        assertThatThrownBy(() -> ChunkSeal.open(SecretKey256.generate(), aad, sealed, 0, sealed.length, "c"))
                .isInstanceOf(IntegrityException.class);
    }

    @Test
    void plainLengthRejectsSizesNoSealedChunkHas() {
        for (int plain : new int[] {0, 1, SEG, SEG + 1, 5 * SEG}) {
            assertThat(ChunkSeal.plainLength(ChunkSeal.sealedLength(plain))).isEqualTo(plain);
        }
        assertThat(ChunkSeal.plainLength(3)).isEqualTo(-1);
        assertThat(ChunkSeal.plainLength(ChunkSeal.sealedLength(SEG) + 1)).isEqualTo(-1);
    }
}
