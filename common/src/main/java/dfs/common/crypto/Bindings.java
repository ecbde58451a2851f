package dfs.common.crypto;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The associated data each seal is bound to. Binding a chunk to its file id, index and the
 * file's chunk count means chunks cannot be swapped between files, reordered or dropped
 * without failing authentication; binding a file's data key to the file's recorded size, chunk
 * layout and plaintext hash means a hand-edited metadata entry fails to unwrap its key.
 * Stateless.
 */
public final class Bindings {
    private Bindings() {}

    /** AAD of chunk {@code index} of {@code chunkCount} of file {@code fileId}. */
    public static byte[] chunk(String fileId, int index, int chunkCount) {
        return encode(out -> {
            out.writeUTF("dfs chunk v1");
            out.writeUTF(fileId);
            out.writeInt(index);
            out.writeInt(chunkCount);
        });
    }

    /** AAD of a file's wrapped data key: everything in the metadata that decides what the file is. */
    public static byte[] fileKey(String fileId, long size, int chunkSize, int chunkCount, String sha256) {
        return encode(out -> {
            out.writeUTF("dfs file key v1");
            out.writeUTF(fileId);
            out.writeLong(size);
            out.writeInt(chunkSize);
            out.writeInt(chunkCount);
            out.writeUTF(sha256);
        });
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] encode(Writer w) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(96);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            w.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
