package dfs.common.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM through the JDK's JCA for short messages (data keys under the master key), in the
 * layout {@code [version 1 byte][nonce 12 bytes][ciphertext][tag 16 bytes]}. Nonces are random per
 * seal; a master key seals few enough keys that random 96-bit nonces never repeat in practice.
 * Chunks use the segmented {@link ChunkSeal}. Stateless, thread-safe.
 */
public final class Aead {
    public static final int VERSION = 1;
    public static final int NONCE_BYTES = 12;
    public static final int TAG_BYTES = 16;
    /** Bytes a seal adds to its plaintext. */
    public static final int OVERHEAD = 1 + NONCE_BYTES + TAG_BYTES;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Aead() {}

    /** Seals {@code plain[off, off+len)} bound to {@code aad}; returns a new array of {@code len + OVERHEAD} bytes. */
    public static byte[] seal(SecretKey256 key, byte[] aad, byte[] plain, int off, int len) {
        byte[] out = new byte[len + OVERHEAD];
        out[0] = VERSION;
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        System.arraycopy(nonce, 0, out, 1, NONCE_BYTES);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key.spec(), new GCMParameterSpec(TAG_BYTES * 8, nonce));
            c.updateAAD(aad);
            c.doFinal(plain, off, len, out, 1 + NONCE_BYTES);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM sealing failed: " + e.getMessage(), e);
        }
    }

    /**
     * Opens a sealed message bound to {@code aad}.
     *
     * @param what names the message in the error, e.g. "chunk 3 of file report.pdf"
     * @throws IntegrityException when the bytes or the context differ from what was sealed
     */
    public static byte[] open(SecretKey256 key, byte[] aad, byte[] sealed, int off, int len, String what)
            throws IntegrityException {
        if (len < OVERHEAD) {
            throw new IntegrityException(what + " is " + len + " bytes, shorter than any sealed message");
        }
        if (sealed[off] != VERSION) {
            throw new IntegrityException(what + " has unknown format version " + sealed[off]);
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key.spec(), new GCMParameterSpec(TAG_BYTES * 8, sealed, off + 1, NONCE_BYTES));
            c.updateAAD(aad);
            return c.doFinal(sealed, off + 1 + NONCE_BYTES, len - 1 - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new IntegrityException(what + " failed authentication: its bytes or its metadata were altered");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM opening failed: " + e.getMessage(), e);
        }
    }
}
