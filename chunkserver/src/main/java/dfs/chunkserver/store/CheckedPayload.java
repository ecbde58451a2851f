package dfs.chunkserver.store;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import dfs.common.crypto.Sha256;
import java.security.MessageDigest;
import java.util.function.Consumer;

/**
 * A chunk's payload stream that hashes what passes through it and, once the last of its
 * {@code length} bytes has been read, reports a payload that does not match the recorded SHA-256.
 * The check costs no extra disk read, so every complete read of a chunk doubles as a scrub of it.
 * A skip gives up the check (the skipped bytes were never hashed). Not thread-safe.
 */
final class CheckedPayload extends FilterInputStream {
    private final MessageDigest digest = Sha256.newDigest();
    private final String recordedSha256;
    private final Consumer<String> onMismatch;
    private long remaining;
    private boolean decided;

    /**
     * @param onMismatch called once, with the actual hash, when the payload turns out not to match
     */
    CheckedPayload(InputStream payload, long length, String recordedSha256, Consumer<String> onMismatch) {
        super(payload);
        this.remaining = length;
        this.recordedSha256 = recordedSha256;
        this.onMismatch = onMismatch;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            digest.update((byte) b);
            remaining--;
        }
        decideAtEnd();
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = in.read(buf, off, len);
        if (n > 0) {
            digest.update(buf, off, n);
            remaining -= n;
        }
        decideAtEnd();
        return n;
    }

    @Override
    public boolean markSupported() {
        return false; // a reset would hash the same bytes twice
    }

    @Override
    public long skip(long n) throws IOException {
        decided = true;
        return in.skip(n);
    }

    private void decideAtEnd() {
        if (decided || remaining != 0) {
            return;
        }
        decided = true;
        String actual = Sha256.hex(digest);
        if (!actual.equals(recordedSha256)) {
            onMismatch.accept(actual);
        }
    }
}
