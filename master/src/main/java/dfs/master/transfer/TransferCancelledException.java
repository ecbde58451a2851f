package dfs.master.transfer;

import java.io.IOException;

/** A transfer stopped because its {@link Progress} asked it to; it left nothing behind. */
public final class TransferCancelledException extends IOException {
    public TransferCancelledException(String message) {
        super(message);
    }
}
