package dfs.common.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dfs.common.io.AtomicFiles;
import dfs.common.json.Json;
import dfs.common.wire.MasterId;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;

/**
 * The master key file, mode 0600, in one of two forms:
 * <ul>
 *   <li>{@code {"format":1,"protection":"none","key":"<base64>","id":"<32 hex>"}}: the key in the clear;
 *   <li>{@code {"format":1,"protection":"argon2id","kdf":{"salt":..,"memoryKiB":..,"iterations":..,
 *       "parallelism":..},"key":"<base64 AES-GCM seal of the key>","id":"<32 hex>"}}: the key sealed
 *       under a key derived from a passphrase (see {@link Argon2Protection}).
 * </ul>
 * The id is the master's ({@link MasterKey#id()}); a file written before keys had one has none,
 * and its key's id is derived from the key.
 * Writing never overwrites an existing key (that would make every stored file unreadable), and
 * loading refuses a file that others can read. Passphrases are never logged or put in messages.
 * Stateless.
 */
public final class MasterKeyFile {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private MasterKeyFile() {}

    /** Creates a new, unprotected master key file with mode 0600; fails if the file exists. */
    public static MasterKey create(Path file) throws IOException {
        return create(file, null);
    }

    /**
     * Creates a new master key file with mode 0600, protected by {@code passphrase} unless it is
     * null; fails if the file exists.
     */
    public static MasterKey create(Path file, char[] passphrase) throws IOException {
        MasterKey key = MasterKey.generate();
        write(file, key, passphrase);
        return key;
    }

    /**
     * Writes {@code key} to a new file with mode 0600, durably, protected by {@code passphrase}
     * unless it is null; fails if the file exists.
     */
    public static void write(Path file, MasterKey key, char[] passphrase) throws IOException {
        write(file, key, passphrase, Argon2Protection.DEFAULT);
    }

    static void write(Path file, MasterKey key, char[] passphrase, Argon2Protection cost) throws IOException {
        if (Files.exists(file)) {
            throw new FileAlreadyExistsException(file.toString(), null,
                    "a master key file already exists; it is kept, since replacing it would make every stored file unreadable");
        }
        byte[] raw = key.bytes();
        ObjectNode json = Argon2Protection.newDocument();
        try {
            if (passphrase == null) {
                json.put("protection", "none").put("key", Base64.getEncoder().encodeToString(raw));
            } else {
                if (passphrase.length == 0) {
                    throw new IllegalArgumentException("an empty passphrase protects nothing: choose one, or none at all");
                }
                cost.seal(json, raw, passphrase);
            }
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
        json.put("id", key.id().hex());
        byte[] content = Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(json);
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        // create the file 0600 before any key byte is written, then move it into place
        Path tmp = Files.createTempFile(parent, "." + file.getFileName() + ".", ".tmp",
                PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        try {
            Files.write(tmp, content);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            AtomicFiles.forceDirectory(parent);
        } finally {
            Arrays.fill(content, (byte) 0);
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Atomically and durably replaces {@code file} by {@code replacement} (a key file written by
     * {@link #write}, in the same folder): the last step of a key rotation. A crash leaves either
     * the old key file and the replacement, or only the new key file.
     */
    public static void replace(Path replacement, Path file) throws IOException {
        if (!Files.exists(replacement)) {
            throw new NoSuchFileException(replacement.toString(), null, "no replacement master key file to install");
        }
        AtomicFiles.commit(replacement, file);
    }

    /** Loads an unprotected master key, refusing a file readable by group or others. */
    public static MasterKey load(Path file) throws IOException {
        return load(file, PassphraseSource.NONE);
    }

    /**
     * Loads the master key, asking {@code passphrases} only if the file is protected; refuses a
     * file readable by group or others.
     *
     * @throws WrongPassphraseException if the passphrase does not open the file
     */
    public static MasterKey load(Path file, PassphraseSource passphrases) throws IOException {
        JsonNode json = read(file);
        byte[] raw;
        if (json.path("protection").asText().equals(Argon2Protection.NAME)) {
            Argon2Protection cost = Argon2Protection.read(json, file);
            char[] passphrase = passphrases.passphrase(file);
            try {
                raw = cost.open(json, passphrase, file);
            } finally {
                Arrays.fill(passphrase, '\0');
            }
        } else if (json.path("protection").asText().equals("none")) {
            try {
                raw = Base64.getDecoder().decode(json.path("key").asText());
            } catch (IllegalArgumentException e) {
                throw new IOException("master key file " + file + " holds a key that is not base64");
            }
        } else {
            throw new IOException("master key file " + file + " uses protection '"
                    + printable(json.path("protection").asText()) + "', which this version cannot open");
        }
        try {
            if (raw.length != SecretKey256.LENGTH) {
                throw new IOException("master key file " + file + " holds a " + raw.length
                        + "-byte key; expected " + SecretKey256.LENGTH);
            }
            SecretKey256 key = SecretKey256.of(raw);
            return json.has("id") ? new MasterKey(key, id(json, file)) : new MasterKey(key); // older files have none
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    private static MasterId id(JsonNode json, Path file) throws IOException {
        String id = json.path("id").asText();
        if (!MasterId.isValid(id)) {
            throw new IOException("master key file " + file + " holds an id '" + printable(id)
                    + "' that is not 32 lowercase hex digits; restore the file from its backup");
        }
        return MasterId.parse(id);
    }

    /** Whether the key file is protected by a passphrase. */
    public static boolean isProtected(Path file) throws IOException {
        return read(file).path("protection").asText().equals(Argon2Protection.NAME);
    }

    private static JsonNode read(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null,
                    "master key file not found: master commands run where './dfs init' created it, as a cluster has"
                    + " one master (to move the master here, copy master.key and the metadata_uploaded.json files"
                    + " from there); or set master_key_file in dfs_setup.config");
        }
        PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (posix != null) {
            Set<PosixFilePermission> perms = posix.readAttributes().permissions();
            if (perms.stream().anyMatch(OTHERS::contains)) {
                throw new IOException("master key file " + file + " is accessible by other users (mode "
                        + PosixFilePermissions.toString(perms) + "): run 'chmod 600 " + file + "'");
            }
        }
        byte[] content = Files.readAllBytes(file);
        try {
            JsonNode json = Json.mapper().readTree(content);
            if (json == null || json.path("format").asInt() != 1 || !json.path("key").isTextual()) {
                throw new IOException("master key file " + file + " is not a dfs master key (format 1 with a key)");
            }
            return json;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException("master key file " + file + " is not valid JSON", null);
        } finally {
            Arrays.fill(content, (byte) 0);
        }
    }

    private static String printable(String s) {
        String clean = s.replaceAll("[^\\x20-\\x7e]", "?");
        return clean.length() > 40 ? clean.substring(0, 40) + "..." : clean;
    }
}
