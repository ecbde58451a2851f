package dfs.common.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dfs.common.wire.MasterId;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
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
    void aMissingKeyFileSaysWhereMasterCommandsRun() {
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

    @Test
    void aKeyFileKeepsItsMastersIdWhichARotationsNextKeyShares() throws Exception {
        Path file = dir.resolve("master.key");
        MasterKey created = MasterKeyFile.create(file);
        MasterKey next = created.successor();
        MasterKeyFile.write(dir.resolve("master.key.next"), next, null);

        assertThat(MasterKeyFile.load(file).id()).isEqualTo(created.id());
        assertThat(Files.readString(file)).contains("\"id\" : \"" + created.id().hex() + "\"");
        assertThat(MasterKeyFile.load(dir.resolve("master.key.next")).id()).isEqualTo(created.id());
        assertThat(next.bytes()).isNotEqualTo(created.bytes());
        assertThat(MasterKey.generate().id()).isNotEqualTo(created.id());
    }

    @Test
    void aKeyFileWrittenBeforeKeysHadIdsGetsAnIdDerivedFromItsKey() throws Exception {
        Path file = dir.resolve("master.key");
        Path other = dir.resolve("other.key");
        for (Path p : List.of(file, other)) {
            Files.writeString(p, "{\"format\":1,\"protection\":\"none\",\"key\":\""
                    + Base64.getEncoder().encodeToString(MasterKey.generate().bytes()) + "\"}");
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        }

        MasterId id = MasterKeyFile.load(file).id();

        assertThat(MasterKeyFile.load(file).id()).isEqualTo(id);
        assertThat(MasterKeyFile.load(other).id()).isNotEqualTo(id);
        assertThat(MasterKeyFile.load(file).successor().id()).isEqualTo(id);
    }

    @Test
    void aKeyFileWithABadIdIsRefused() throws Exception {
        Path file = dir.resolve("master.key");
        Files.writeString(file, "{\"format\":1,\"protection\":\"none\",\"key\":\""
                + Base64.getEncoder().encodeToString(MasterKey.generate().bytes()) + "\",\"id\":\"xyz\"}");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

        assertThatThrownBy(() -> MasterKeyFile.load(file))
                .hasMessage("master key file " + file + " holds an id 'xyz' that is not 32 lowercase hex digits;"
                        + " restore the file from its backup");
    }
}
