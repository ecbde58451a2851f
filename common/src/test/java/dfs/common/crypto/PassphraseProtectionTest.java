package dfs.common.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dfs.common.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Master key files protected by a passphrase (Argon2id, then AES-GCM). */
class PassphraseProtectionTest {
    private static final char[] PASSPHRASE = "correct horse battery staple".toCharArray();
    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("master.key");
    }

    @Test
    void aProtectedKeyLoadsBackWithItsPassphrase() throws Exception {
        MasterKey created = MasterKeyFile.create(file(), PASSPHRASE);

        assertThat(MasterKeyFile.isProtected(file())).isTrue();
        assertThat(MasterKeyFile.load(file(), PassphraseSource.of(PASSPHRASE)).bytes()).isEqualTo(created.bytes());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file()))).isEqualTo("rw-------");
    }

    @Test
    void theFileRecordsArgon2idWithAtLeastTheRequiredCost() throws Exception {
        MasterKeyFile.create(file(), PASSPHRASE);

        JsonNode json = Json.mapper().readTree(file().toFile());
        assertThat(json.path("protection").asText()).isEqualTo("argon2id");
        assertThat(json.path("kdf").path("memoryKiB").asInt()).isGreaterThanOrEqualTo(64 * 1024);
        assertThat(json.path("kdf").path("iterations").asInt()).isGreaterThanOrEqualTo(3);
        assertThat(json.path("kdf").path("parallelism").asInt()).isBetween(1, 2);
        assertThat(Base64.getDecoder().decode(json.path("kdf").path("salt").asText())).hasSize(16);
    }

    @Test
    void theFileHoldsNeitherTheKeyNorThePassphrase() throws Exception {
        MasterKey created = MasterKeyFile.create(file(), PASSPHRASE);

        String content = Files.readString(file(), StandardCharsets.UTF_8);
        assertThat(content).doesNotContain(Base64.getEncoder().encodeToString(created.bytes()))
                .doesNotContain(new String(PASSPHRASE));
    }

    @Test
    void aWrongPassphraseIsOneClearErrorThatNamesTheFileButNotThePassphrase() throws Exception {
        MasterKeyFile.write(file(), MasterKey.generate(), PASSPHRASE, Argon2Protection.MINIMUM);

        assertThatThrownBy(() -> MasterKeyFile.load(file(), PassphraseSource.of("guess".toCharArray())))
                .isInstanceOf(WrongPassphraseException.class)
                .hasMessage("wrong passphrase for the master key file " + file()
                        + " (or the file was altered); nothing was changed")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("guess"));
    }

    @Test
    void editedCostParametersMakeTheKeyFailToOpen() throws Exception {
        MasterKeyFile.write(file(), MasterKey.generate(), PASSPHRASE, Argon2Protection.MINIMUM);
        ObjectNode json = (ObjectNode) Json.mapper().readTree(file().toFile());
        ((ObjectNode) json.path("kdf")).put("iterations", 4);
        Files.write(file(), Json.mapper().writeValueAsBytes(json));

        assertThatThrownBy(() -> MasterKeyFile.load(file(), PassphraseSource.of(PASSPHRASE)))
                .isInstanceOf(WrongPassphraseException.class);
    }

    @Test
    void costParametersBelowTheMinimumAreRefused() throws Exception {
        MasterKeyFile.write(file(), MasterKey.generate(), PASSPHRASE, new Argon2Protection(1024, 1, 1));

        assertThatThrownBy(() -> MasterKeyFile.load(file(), PassphraseSource.of(PASSPHRASE)))
                .hasMessageContaining("too weak Argon2id parameters");
    }

    @Test
    void anUnprotectedFileNeverAsksForAPassphrase() throws Exception {
        MasterKey created = MasterKeyFile.create(file());
        AtomicInteger asked = new AtomicInteger();

        MasterKey loaded = MasterKeyFile.load(file(), f -> {
            asked.incrementAndGet();
            return PASSPHRASE.clone();
        });

        assertThat(loaded.bytes()).isEqualTo(created.bytes());
        assertThat(asked).hasValue(0);
        assertThat(MasterKeyFile.isProtected(file())).isFalse();
    }

    @Test
    void aProtectedFileWithoutAPassphraseSourceSaysHowToGiveOne() throws Exception {
        MasterKeyFile.write(file(), MasterKey.generate(), PASSPHRASE, Argon2Protection.MINIMUM);

        assertThatThrownBy(() -> MasterKeyFile.load(file()))
                .hasMessageContaining("protected by a passphrase").hasMessageContaining("DFS_PASSPHRASE");
    }

    @Test
    void anEmptyPassphraseIsRefused() {
        assertThatThrownBy(() -> MasterKeyFile.create(file(), new char[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty passphrase");
        assertThat(file()).doesNotExist();
    }

    @Test
    void aReplacementKeyFileTakesThePlaceOfTheOldOneAtomically() throws Exception {
        MasterKeyFile.create(file());
        Path next = dir.resolve("master.key.next");
        MasterKey newKey = MasterKey.generate();
        MasterKeyFile.write(next, newKey, null);

        MasterKeyFile.replace(next, file());

        assertThat(next).doesNotExist();
        assertThat(MasterKeyFile.load(file()).bytes()).isEqualTo(newKey.bytes());
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("master.key");
        }
    }
}
