package dfs.common.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MasterKeySetTest {
    private static final byte[] AAD = Bindings.fileKey("0123456789abcdef0123456789abcdef", 1, 4096, 1, "ab".repeat(32));
    private final MasterKey oldKey = MasterKey.generate();
    private final MasterKey newKey = MasterKey.generate();
    private final SecretKey256 data = SecretKey256.generate();

    @Test
    void duringARotationNewKeysAreWrappedUnderTheNextKey() throws Exception {
        MasterKeySet set = MasterKeySet.rotating(oldKey, newKey);

        String wrapped = set.wrapping().wrap(data, AAD);

        assertThat(newKey.unwrap(wrapped, AAD, "f").bytes()).isEqualTo(data.bytes());
    }

    @Test
    void duringARotationKeysWrappedUnderEitherKeyUnwrapAndSayWhichFitted() throws Exception {
        MasterKeySet set = MasterKeySet.rotating(oldKey, newKey);

        MasterKeySet.Unwrapped fromOld = set.unwrap(oldKey.wrap(data, AAD), AAD, "f");
        MasterKeySet.Unwrapped fromNew = set.unwrap(newKey.wrap(data, AAD), AAD, "f");

        assertThat(fromOld.key().bytes()).isEqualTo(data.bytes());
        assertThat(fromOld.underWrappingKey()).isFalse();
        assertThat(fromNew.key().bytes()).isEqualTo(data.bytes());
        assertThat(fromNew.underWrappingKey()).isTrue();
    }

    @Test
    void aKeyOfNeitherMasterKeyIsAnIntegrityError() {
        MasterKeySet set = MasterKeySet.rotating(oldKey, newKey);
        String foreign = MasterKey.generate().wrap(data, AAD);

        assertThatThrownBy(() -> set.unwrap(foreign, AAD, "report.pdf"))
                .isInstanceOf(IntegrityException.class).hasMessageContaining("report.pdf");
    }

    @Test
    void withoutARotationOnlyTheCurrentKeyUnwraps() throws Exception {
        MasterKeySet set = MasterKeySet.of(oldKey);

        assertThat(set.unwrap(oldKey.wrap(data, AAD), AAD, "f").underWrappingKey()).isTrue();
        assertThatThrownBy(() -> set.unwrap(newKey.wrap(data, AAD), AAD, "f")).isInstanceOf(IntegrityException.class);
    }
}
