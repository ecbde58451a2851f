package dfs.common.wire;

import java.util.Objects;

/**
 * The one shape of every HTTP error answer.
 *
 * @param error a stable machine-readable code, e.g. {@code bad_chunk_id}, {@code hash_mismatch}
 * @param message one line for a person: what was wrong and what to do
 */
public record ErrorBody(String error, String message) {
    public ErrorBody {
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(message, "message");
    }
}
