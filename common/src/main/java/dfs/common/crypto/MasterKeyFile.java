package dfs.common.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dfs.common.io.AtomicFiles;
import dfs.common.json.Json;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;

/**
 * The master key file: {@code {"format":1,"protection":"none","key":"<base64>"}}, mode 0600.
 * Creation never overwrites an existing key (that would make every stored file unreadable), and
 * loading refuses a file that others can read. Stateless.
 */
public final class MasterKeyFile {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private MasterKeyFile() {}

    /** Creates a new master key file with mode 0600; fails if the file exists. */
    public static MasterKey create(Path file) throws IOException {
        if (Files.exists(file)) {
            throw new FileAlreadyExistsException(file.toString(), null,
                    "a master key file already exists; it is kept, since replacing it would make every stored file unreadable");
        }
        MasterKey key = MasterKey.generate();
        byte[] raw = key.bytes();
        ObjectNode json = Json.mapper().createObjectNode()
                .put("format", 1)
                .put("protection", "none")
                .put("key", Base64.getEncoder().encodeToString(raw));
        Arrays.fill(raw, (byte) 0);
        byte[] content = Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(json);
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        // create the file 0600 before any key byte is written, then replace it atomically
        Path tmp = Files.createTempFile(parent, ".master.key.", ".tmp",
                PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        try {
            Files.write(tmp, content);
            try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            AtomicFiles.forceDirectory(parent);
        } finally {
            Arrays.fill(content, (byte) 0);
            Files.deleteIfExists(tmp);
        }
        return key;
    }

    /** Loads the master key, refusing a file readable by group or others. */
    public static MasterKey load(Path file) throws IOException {
        PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null,
                    "master key file not found: run './dfs init' on this machine, or set master_key_file in dfs_setup.config");
        }
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
            if (!"none".equals(json.path("protection").asText())) {
                throw new IOException("master key file " + file + " uses protection '"
                        + json.path("protection").asText() + "', which this version cannot open");
            }
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(json.path("key").asText());
            } catch (IllegalArgumentException e) {
                throw new IOException("master key file " + file + " holds a key that is not base64");
            }
            if (raw.length != SecretKey256.LENGTH) {
                throw new IOException("master key file " + file + " holds a " + raw.length
                        + "-byte key; expected " + SecretKey256.LENGTH);
            }
            try {
                return new MasterKey(SecretKey256.of(raw));
            } finally {
                Arrays.fill(raw, (byte) 0);
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException("master key file " + file + " is not valid JSON", null);
        } finally {
            Arrays.fill(content, (byte) 0);
        }
    }
}
