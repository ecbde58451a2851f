package dfs.common.crypto;

import java.io.IOException;

/**
 * Authenticated decryption failed: the bytes, or the context they were bound to (file id, chunk
 * index, chunk count, file size), are not what was sealed. Never carries key material.
 */
public class IntegrityException extends IOException {
    public IntegrityException(String message) {
        super(message);
    }
}
