package dfs.common.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterKeyTest {
    private static final String FILE_ID = "0123456789abcdef0123456789abcdef";
    @TempDir
    Path dir;

    @Test
    void aWrappedDataKeyUnwrapsUnderTheSameBinding() throws Exception {
        MasterKey master = MasterKey.generate();
        SecretKey256 data = SecretKey256.generate();
        byte[] binding = Bindings.fileKey(FILE_ID, 10, 4096, 1, "ab".repeat(32));
        String wrapped = master.wrap(data, binding);
        SecretKey256 back = master.unwrap(wrapped, binding, "report.pdf");
        assertThat(back.bytes()).isEqualTo(data.bytes());
    }

    @Test
    void anEditedMetadataFieldMakesTheKeyUnwrapFailNamingTheFile() {
        MasterKey master = MasterKey.generate();
        String wrapped = master.wrap(SecretKey256.generate(), Bindings.fileKey(FILE_ID, 10, 4096, 1, "ab".repeat(32)));
        byte[] editedSize = Bindings.fileKey(FILE_ID, 11, 4096, 1, "ab".repeat(32));
        assertThatThrownBy(() -> master.unwrap(wrapped, editedSize, "report.pdf"))
                .isInstanceOf(IntegrityException.class)
                .hasMessageStartingWith("metadata integrity error for report.pdf");
        assertThatThrownBy(() -> master.unwrap("not base64!", editedSize, "report.pdf"))
                .isInstanceOf(IntegrityException.class);
    }

    @Test
    void anotherMasterKeyCannotUnwrap() {
        byte[] binding = Bindings.fileKey(FILE_ID, 0, 4096, 0, "ab".repeat(32));
        String wrapped = MasterKey.generate().wrap(SecretKey256.generate(), binding);
        assertThatThrownBy(() -> MasterKey.generate().unwrap(wrapped, binding, "f"))
                .isInstanceOf(IntegrityException.class);
    }

    @Test
    void aDerivedKeyIsHkdfSha256OfTheMasterKeyForItsPurpose() {
        MasterKey zeros = new MasterKey(SecretKey256.of(new byte[32]));
        // HKDF-SHA256(ikm = 32 zero bytes, salt = "dfs master key", info = "dfs metadata copy v1"), computed apart
        assertThat(HexFormat.of().formatHex(zeros.derive("dfs metadata copy v1").bytes()))
                .isEqualTo("cee7e50ce3d28be493b9bf5d993d24102abed4862a04aea97dc648bc4975c3fa");
    }

    @Test
    void derivedKeysDifferByPurposeAndByMasterKey() {
        MasterKey master = MasterKey.generate();
        byte[] copy = master.derive("copy").bytes();
        assertThat(master.derive("copy").bytes()).isEqualTo(copy);
        assertThat(master.derive("other").bytes()).isNotEqualTo(copy);
        assertThat(MasterKey.generate().derive("copy").bytes()).isNotEqualTo(copy);
    }

    @Test
    void theKeyFileIsCreatedOwnerOnlyAndLoadsBack() throws Exception {
        Path file = dir.resolve("master.key");
        MasterKey created = MasterKeyFile.create(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(MasterKeyFile.load(file).bytes()).isEqualTo(created.bytes());
    }

    @Test
    void anExistingKeyFileIsNeverOverwritten() throws Exception {
        Path file = dir.resolve("master.key");
        MasterKey first = MasterKeyFile.create(file);
        assertThatThrownBy(() -> MasterKeyFile.create(file)).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(MasterKeyFile.load(file).bytes()).isEqualTo(first.bytes());
    }

    @Test
    void aKeyFileReadableByOthersIsRefusedWithTheFix() throws Exception {
        Path file = dir.resolve("master.key");
        MasterKeyFile.create(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> MasterKeyFile.load(file))
                .hasMessageContaining("accessible by other users")
                .hasMessageContaining("chmod 600 " + file);
    }

    @Test
    void aMissingKeyFileSaysHowToCreateOne() {
        assertThatThrownBy(() -> MasterKeyFile.load(dir.resolve("nope.key")))
                .hasMessageContaining("./dfs init");
    }

    @Test
    void errorsAboutABrokenKeyFileNeverEchoItsContent() throws Exception {
        Path file = dir.resolve("master.key");
        Files.writeString(file, "{\"format\":1,\"protection\":\"none\",\"key\":\"c2VjcmV0LXNlY3JldA==\"}");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> MasterKeyFile.load(file))
                .hasMessageContaining("13-byte key")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("c2VjcmV0"));
    }
}
