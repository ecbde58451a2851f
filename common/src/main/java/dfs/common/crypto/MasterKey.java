package dfs.common.crypto;

import dfs.common.wire.MasterId;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * The master key: wraps each file's random data key. It lives only on the master machine, in its
 * own file ({@link MasterKeyFile}), never in {@code dfs_setup.config} and never on a chunk server.
 * Immutable and thread-safe.
 */
public final class MasterKey {
    private static final byte[] DERIVE_SALT = "dfs master key".getBytes(StandardCharsets.US_ASCII);

    private final SecretKey256 key;
    private final MasterId id;

    /** The key under the id it was given when created: see {@link #id()}. */
    public MasterKey(SecretKey256 key, MasterId id) {
        this.key = Objects.requireNonNull(key, "key");
        this.id = Objects.requireNonNull(id, "id");
    }

    /** A key of a file written before keys had ids: its id is derived from the key itself. */
    public MasterKey(SecretKey256 key) {
        this.key = Objects.requireNonNull(key, "key");
        this.id = derivedId();
    }

    /** A new key of a new master. */
    public static MasterKey generate() {
        return new MasterKey(SecretKey256.generate(), MasterId.random());
    }

    /** The key a rotation moves to: a new key of the same master, under the same id. */
    public MasterKey successor() {
        return new MasterKey(SecretKey256.generate(), id);
    }

    /** Which master this key belongs to; the same for every key a rotation leads to. Not a secret. */
    public MasterId id() {
        return id;
    }

    private MasterId derivedId() {
        byte[] derived = derive("dfs master id").bytes();
        try {
            return MasterId.of(Arrays.copyOf(derived, 16));
        } finally {
            Arrays.fill(derived, (byte) 0);
        }
    }

    /** Wraps a data key bound to {@code aad} (see {@link Bindings#fileKey}); base64 text for the metadata. */
    public String wrap(SecretKey256 dataKey, byte[] aad) {
        byte[] raw = dataKey.bytes();
        try {
            return Base64.getEncoder().encodeToString(Aead.seal(key, aad, raw, 0, raw.length));
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    /**
     * Unwraps a data key.
     *
     * @param what names the file in the error message
     * @throws IntegrityException when the wrapped key or any field bound into {@code aad} was altered,
     *     or the key was wrapped under another master key
     */
    public SecretKey256 unwrap(String wrapped, byte[] aad, String what) throws IntegrityException {
        byte[] sealed;
        try {
            sealed = Base64.getDecoder().decode(wrapped);
        } catch (IllegalArgumentException e) {
            throw new IntegrityException("the wrapped key of " + what + " is not base64: the metadata was altered");
        }
        byte[] raw;
        try {
            raw = Aead.open(key, aad, sealed, 0, sealed.length, "the data key of " + what);
        } catch (IntegrityException e) {
            throw new IntegrityException("metadata integrity error for " + what
                    + ": its entry was altered, or it was written under another master key");
        }
        try {
            return SecretKey256.of(raw);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    /**
     * A key for another purpose, derived from this one (HKDF-SHA256, {@code purpose} as its info):
     * independent of the master key and of keys for other purposes, and gone with the master key.
     */
    public SecretKey256 derive(String purpose) {
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        byte[] ikm = key.bytes();
        byte[] okm = new byte[32];
        try {
            hkdf.init(new HKDFParameters(ikm, DERIVE_SALT, purpose.getBytes(StandardCharsets.UTF_8)));
            hkdf.generateBytes(okm, 0, okm.length);
            return SecretKey256.of(okm);
        } finally {
            Arrays.fill(ikm, (byte) 0);
            Arrays.fill(okm, (byte) 0);
        }
    }

    byte[] bytes() {
        return key.bytes();
    }

    @Override
    public String toString() {
        return "MasterKey[redacted]";
    }
}
