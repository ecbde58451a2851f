package dfs.common.crypto;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Gets the JIT to compile the JDK's AES-GCM and SHA-256 loops, with the CPU's AES, carry-less
 * multiply and SHA instructions, before real traffic needs them. Until then a fresh JVM runs them
 * interpreted at well under 100 MiB/s, for the first tens of megabytes of TLS and of chunks:
 * measured here, a fresh process decrypted 16 KiB messages at 82 MiB/s, then 2.6 GiB/s. The
 * work is the same shape as TLS records and chunk segments (16 KiB), about 48 MiB in all, done on
 * one daemon thread so start-up does not wait for it (at normal priority: on Linux the JVM ignores
 * Java thread priorities).
 */
public final class WarmUp {
    private static final int MESSAGE = 16 * 1024;
    private static final int ROUNDS = 1500;
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private WarmUp() {}

    /**
     * Starts the warm-up on a background thread and returns at once; once per process. The code
     * it compiles serves every thread, and a local cluster (master and servers in one process)
     * that warmed up once per server spent about 6 CPU-seconds on it, in its first seconds, on two
     * cores, while the first transfers waited.
     *
     * @return whether this call started it
     */
    public static boolean inBackground() {
        if (!STARTED.compareAndSet(false, true)) {
            return false;
        }
        Thread t = new Thread(WarmUp::run, "dfs-crypto-warm-up");
        t.setDaemon(true);
        t.start();
        return true;
    }

    static void run() {
        try {
            SecretKeySpec key = new SecretKeySpec(new byte[32], "AES");
            byte[] plain = new byte[MESSAGE];
            byte[] sealed = new byte[MESSAGE + Aead.TAG_BYTES];
            byte[] opened = new byte[MESSAGE];
            byte[] nonce = new byte[Aead.NONCE_BYTES];
            MessageDigest sha = Sha256.newDigest();
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            for (int i = 0; i < ROUNDS; i++) {
                nonce[0] = (byte) i;
                nonce[1] = (byte) (i >>> 8);
                c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
                c.doFinal(plain, 0, MESSAGE, sealed, 0);
                c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, nonce));
                c.doFinal(sealed, 0, sealed.length, opened, 0);
                sha.update(plain);
            }
            sha.digest();
        } catch (GeneralSecurityException e) {
            // the real work will report the same failure where it matters
        }
    }
}
