package dfs.common.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals a chunk as a sequence of AES-256-GCM segments (the STREAM construction of streaming
 * AEADs): {@code [version 2][nonce prefix, 8 random bytes]} then, per segment of at most
 * {@link #SEGMENT} plaintext bytes, {@code [ciphertext][16-byte tag]}. Segment {@code j} uses the
 * nonce {@code prefix || j} and the associated data {@code chunkAad || j || last?}, so segments
 * cannot be reordered, dropped, or the chunk cut at a segment boundary without failing
 * authentication, and chunks stay bound to their file, index and count through {@code chunkAad}.
 *
 * <p>Why segments: the JDK 17 GCM cipher decrypts a multi-megabyte message at under 100 MiB/s,
 * since its hot loop is never compiled with the CPU's AES and carry-less multiply instructions,
 * while 16 KiB messages run at gigabytes per second. Segments cost 16 bytes per 16 KiB (0.1%).
 * Stateless and thread-safe.
 */
public final class ChunkSeal {
    public static final int VERSION = 2;
    /** Plaintext bytes per segment. */
    public static final int SEGMENT = 16 * 1024;
    private static final int PREFIX = 8;
    private static final int HEADER = 1 + PREFIX;
    private static final int TAG = Aead.TAG_BYTES;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ChunkSeal() {}

    /** Bytes a sealed chunk of {@code plainLength} bytes takes. */
    public static int sealedLength(int plainLength) {
        return HEADER + plainLength + TAG * segments(plainLength);
    }

    /** Plaintext bytes inside a sealed chunk of {@code sealedLength} bytes, or -1 if no chunk has that size. */
    public static int plainLength(int sealedLength) {
        int body = sealedLength - HEADER;
        if (body < TAG) {
            return -1;
        }
        int fullSegments = body / (SEGMENT + TAG);
        int rest = body - fullSegments * (SEGMENT + TAG);
        int plain;
        if (rest == 0) {
            plain = fullSegments * SEGMENT;
        } else if (rest >= TAG) {
            plain = fullSegments * SEGMENT + rest - TAG;
        } else {
            return -1;
        }
        return sealedLength(plain) == sealedLength ? plain : -1;
    }

    private static int segments(int plainLength) {
        return Math.max(1, (plainLength + SEGMENT - 1) / SEGMENT);
    }

    /** Seals {@code plain[off, off+len)} bound to {@code chunkAad}; returns a new array. */
    public static byte[] seal(SecretKey256 key, byte[] chunkAad, byte[] plain, int off, int len) {
        byte[] out = new byte[sealedLength(len)];
        sealInto(key, chunkAad, plain, off, len, out);
        return out;
    }

    /**
     * Seals {@code plain[off, off+len)} bound to {@code chunkAad} into the first
     * {@link #sealedLength sealedLength(len)} bytes of {@code out} (which may be reused between
     * chunks, sparing a large allocation per chunk).
     */
    public static void sealInto(SecretKey256 key, byte[] chunkAad, byte[] plain, int off, int len, byte[] out) {
        if (out.length < sealedLength(len)) {
            throw new IllegalArgumentException("a sealed chunk of " + len + " bytes needs " + sealedLength(len)
                    + " bytes, the buffer has " + out.length);
        }
        out[0] = VERSION;
        byte[] nonce = new byte[Aead.NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        System.arraycopy(nonce, 0, out, 1, PREFIX);
        int n = segments(len);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            int in = off;
            int o = HEADER;
            for (int j = 0; j < n; j++) {
                int segLen = Math.min(SEGMENT, off + len - in);
                ByteBuffer.wrap(nonce, PREFIX, 4).putInt(j);
                c.init(Cipher.ENCRYPT_MODE, key.spec(), new GCMParameterSpec(TAG * 8, nonce));
                c.updateAAD(segmentAad(chunkAad, j, j == n - 1));
                o += c.doFinal(plain, in, segLen, out, o);
                in += segLen;
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM sealing failed: " + e.getMessage(), e);
        }
    }

    /**
     * Opens a sealed chunk bound to {@code chunkAad}.
     *
     * @param what names the chunk in the error, e.g. "chunk 3 of report.pdf"
     * @throws IntegrityException when any byte, the segment order, the length or the binding differs
     */
    public static byte[] open(SecretKey256 key, byte[] chunkAad, byte[] sealed, int off, int len, String what)
            throws IntegrityException {
        byte[] out = new byte[checkedPlainLength(sealed, off, len, what)];
        openInto(key, chunkAad, sealed, off, len, what, out);
        return out;
    }

    /**
     * As {@link #open}, into the first bytes of {@code out} (which may be reused between chunks);
     * returns the number of plaintext bytes. On failure {@code out} holds garbage.
     */
    public static int openInto(SecretKey256 key, byte[] chunkAad, byte[] sealed, int off, int len, String what,
            byte[] out) throws IntegrityException {
        int plainLength = checkedPlainLength(sealed, off, len, what);
        if (out.length < plainLength) {
            throw new IllegalArgumentException(what + " opens to " + plainLength + " bytes, the buffer has " + out.length);
        }
        byte[] nonce = new byte[Aead.NONCE_BYTES];
        System.arraycopy(sealed, off + 1, nonce, 0, PREFIX);
        int n = segments(plainLength);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            int in = off + HEADER;
            int o = 0;
            for (int j = 0; j < n; j++) {
                int segLen = Math.min(SEGMENT, plainLength - o) + TAG;
                ByteBuffer.wrap(nonce, PREFIX, 4).putInt(j);
                c.init(Cipher.DECRYPT_MODE, key.spec(), new GCMParameterSpec(TAG * 8, nonce));
                c.updateAAD(segmentAad(chunkAad, j, j == n - 1));
                o += c.doFinal(sealed, in, segLen, out, o);
                in += segLen;
            }
            return plainLength;
        } catch (AEADBadTagException e) {
            throw new IntegrityException(what + " failed authentication: its bytes or its metadata were altered");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM opening failed: " + e.getMessage(), e);
        }
    }

    private static int checkedPlainLength(byte[] sealed, int off, int len, String what) throws IntegrityException {
        if (len < HEADER + TAG) {
            throw new IntegrityException(what + " is " + len + " bytes, shorter than any sealed chunk");
        }
        if (sealed[off] != VERSION) {
            throw new IntegrityException(what + " has unknown format version " + sealed[off]);
        }
        int plainLength = plainLength(len);
        if (plainLength < 0) {
            throw new IntegrityException(what + " is " + len + " bytes, which no sealed chunk can be: it was cut or extended");
        }
        return plainLength;
    }

    private static byte[] segmentAad(byte[] chunkAad, int index, boolean last) {
        return ByteBuffer.allocate(chunkAad.length + 5).put(chunkAad).putInt(index).put((byte) (last ? 1 : 0)).array();
    }
}
