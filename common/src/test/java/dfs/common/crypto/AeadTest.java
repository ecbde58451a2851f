package dfs.common.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AeadTest {
    private final SecretKey256 key = SecretKey256.generate();
    private final byte[] aad = Bindings.chunk("0123456789abcdef0123456789abcdef", 3, 10);

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 65535, 65536, 65537, 200_000})
    void sealedBytesOpenToThePlaintext(int size) throws Exception {
        byte[] plain = new byte[size];
        new Random(size).nextBytes(plain);
        byte[] sealed = Aead.seal(key, aad, plain, 0, size);
        assertThat(sealed).hasSize(size + Aead.OVERHEAD);
        assertThat(Aead.open(key, aad, sealed, 0, sealed.length, "chunk")).isEqualTo(plain);
    }

    @Test
    void sealingAPartOfABufferSealsOnlyThatPart() throws Exception {
        byte[] buf = "xxhello worldyy".getBytes(StandardCharsets.US_ASCII);
        byte[] sealed = Aead.seal(key, aad, buf, 2, 11);
        assertThat(new String(Aead.open(key, aad, sealed, 0, sealed.length, "c"), StandardCharsets.US_ASCII))
                .isEqualTo("hello world");
    }

    @Test
    void sealedBytesDoNotContainThePlaintext() {
        byte[] plain = "a secret sentence that must not be stored in the clear".getBytes(StandardCharsets.UTF_8);
        String sealed = new String(Aead.seal(key, aad, plain, 0, plain.length), StandardCharsets.ISO_8859_1);
        assertThat(sealed).doesNotContain("secret sentence");
    }

    @Test
    void sameInputSealsDifferentlyEachTime() {
        byte[] plain = new byte[64];
        assertThat(Aead.seal(key, aad, plain, 0, 64)).isNotEqualTo(Aead.seal(key, aad, plain, 0, 64));
    }

    @Test
    void aFlippedBitIsDetected() {
        byte[] sealed = Aead.seal(key, aad, new byte[1000], 0, 1000);
        sealed[500] ^= 1;
        assertThatThrownBy(() -> Aead.open(key, aad, sealed, 0, sealed.length, "chunk 3 of f"))
                .isInstanceOf(IntegrityException.class)
                .hasMessage("chunk 3 of f failed authentication: its bytes or its metadata were altered");
    }

    @Test
    void truncationIsDetected() {
        byte[] sealed = Aead.seal(key, aad, new byte[1000], 0, 1000);
        assertThatThrownBy(() -> Aead.open(key, aad, sealed, 0, sealed.length - 1, "c"))
                .isInstanceOf(IntegrityException.class);
        assertThatThrownBy(() -> Aead.open(key, aad, sealed, 0, 5, "c"))
                .isInstanceOf(IntegrityException.class).hasMessageContaining("shorter than any sealed message");
    }

    @Test
    void aChunkMovedToAnotherIndexFileOrCountIsDetected() {
        String file = "0123456789abcdef0123456789abcdef";
        byte[] sealed = Aead.seal(key, Bindings.chunk(file, 3, 10), new byte[100], 0, 100);
        for (byte[] other : new byte[][] {
            Bindings.chunk(file, 4, 10),
            Bindings.chunk(file, 3, 9),
            Bindings.chunk("ffffffffffffffffffffffffffffffff", 3, 10)}) {
            assertThatThrownBy(() -> Aead.open(key, other, sealed, 0, sealed.length, "c"))
                    .isInstanceOf(IntegrityException.class);
        }
    }

    @Test
    void anotherKeyCannotOpen() {
        byte[] sealed = Aead.seal(key, aad, new byte[10], 0, 10);
        assertThatThrownBy(() -> Aead.open(SecretKey256.generate(), aad, sealed, 0, sealed.length, "c"))
                .isInstanceOf(IntegrityException.class);
    }

    @Test
    void keysNeverPrintTheirBytes() {
        assertThat(key.toString()).isEqualTo("SecretKey256[redacted]");
        assertThat(MasterKey.generate().toString()).isEqualTo("MasterKey[redacted]");
    }
}
