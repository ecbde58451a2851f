package dfs.common.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dfs.common.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Passphrase protection of the master key: a key-encryption key derived from the passphrase with
 * Argon2id (random 16-byte salt; memory, iterations and parallelism recorded beside it), and the
 * master key sealed with AES-256-GCM under it, bound to those parameters so none can be edited.
 *
 * <p>The default cost (128 MiB, 3 passes, 1 lane) was measured at 0.5-0.8 s on a 2-core machine:
 * slow enough that guessing a passphrase from a stolen file costs that much per guess, and
 * memory-hard so that GPUs do not make guesses cheap. Stateless and thread-safe.
 *
 * @param memoryKiB Argon2 memory in KiB
 * @param iterations Argon2 passes
 * @param parallelism Argon2 lanes
 */
record Argon2Protection(int memoryKiB, int iterations, int parallelism) {
    static final String NAME = "argon2id";
    static final Argon2Protection DEFAULT = new Argon2Protection(128 * 1024, 3, 1);
    /** Refuses cost parameters so low they would make the protection a formality. */
    static final Argon2Protection MINIMUM = new Argon2Protection(64 * 1024, 3, 1);
    private static final int SALT_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    Argon2Protection {
        if (memoryKiB < 8 || memoryKiB > 4 * 1024 * 1024 || iterations < 1 || iterations > 100
                || parallelism < 1 || parallelism > 16) {
            throw new IllegalArgumentException("Argon2id parameters out of range: memory " + memoryKiB
                    + " KiB, " + iterations + " iterations, parallelism " + parallelism);
        }
    }

    /** Writes the protected fields of a key file: the parameters, the salt and the sealed key. */
    void seal(ObjectNode json, byte[] rawKey, char[] passphrase) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        SecretKey256 kek = derive(passphrase, salt);
        json.put("protection", NAME);
        ObjectNode kdf = json.putObject("kdf");
        kdf.put("salt", Base64.getEncoder().encodeToString(salt));
        kdf.put("memoryKiB", memoryKiB);
        kdf.put("iterations", iterations);
        kdf.put("parallelism", parallelism);
        json.put("key", Base64.getEncoder().encodeToString(Aead.seal(kek, aad(salt), rawKey, 0, rawKey.length)));
    }

    /** Reads the parameters of a protected key file, refusing ones below {@link #MINIMUM}. */
    static Argon2Protection read(JsonNode json, Path file) throws IOException {
        JsonNode kdf = json.path("kdf");
        int m = kdf.path("memoryKiB").asInt(-1);
        int t = kdf.path("iterations").asInt(-1);
        int p = kdf.path("parallelism").asInt(-1);
        if (!kdf.path("salt").isTextual() || m < MINIMUM.memoryKiB || t < MINIMUM.iterations || p < 1 || p > 16
                || m > 4 * 1024 * 1024 || t > 100) {
            throw new IOException("master key file " + file + " has missing or too weak Argon2id parameters"
                    + " (at least " + MINIMUM.memoryKiB + " KiB memory and " + MINIMUM.iterations + " iterations)");
        }
        return new Argon2Protection(m, t, p);
    }

    /** Opens the sealed key of a protected key file; the caller clears the returned bytes. */
    byte[] open(JsonNode json, char[] passphrase, Path file) throws IOException {
        byte[] salt;
        byte[] sealed;
        try {
            salt = Base64.getDecoder().decode(json.path("kdf").path("salt").asText());
            sealed = Base64.getDecoder().decode(json.path("key").asText());
        } catch (IllegalArgumentException e) {
            throw new IOException("master key file " + file + " holds a salt or key that is not base64");
        }
        SecretKey256 kek = derive(passphrase, salt);
        try {
            return Aead.open(kek, aad(salt), sealed, 0, sealed.length, "master key file " + file);
        } catch (IntegrityException e) {
            throw new WrongPassphraseException(file);
        }
    }

    private SecretKey256 derive(char[] passphrase, byte[] salt) {
        Argon2BytesGenerator argon = new Argon2BytesGenerator();
        argon.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id).withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt).withMemoryAsKB(memoryKiB).withIterations(iterations).withParallelism(parallelism)
                .build());
        byte[] out = new byte[SecretKey256.LENGTH];
        argon.generateBytes(passphrase, out); // UTF-8 of the passphrase
        try {
            return SecretKey256.of(out);
        } finally {
            Arrays.fill(out, (byte) 0);
        }
    }

    /** Binds the sealed key to every parameter that decides the key-encryption key. */
    private byte[] aad(byte[] salt) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF("dfs master key v1 argon2id");
            out.writeInt(memoryKiB);
            out.writeInt(iterations);
            out.writeInt(parallelism);
            out.write(salt);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    @Override
    public String toString() {
        return NAME + "(m=" + memoryKiB + " KiB, t=" + iterations + ", p=" + parallelism + ")";
    }

    static ObjectNode newDocument() {
        return Json.mapper().createObjectNode().put("format", 1);
    }
}
