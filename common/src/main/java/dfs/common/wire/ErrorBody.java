package dfs.common.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Objects;

/**
 * The one shape of every HTTP error answer.
 * A newer server may answer with more fields; they are ignored, so a master of an older version
 * still reads the fields it knows.
 *
 * @param error a stable machine-readable code, e.g. {@code bad_chunk_id}, {@code hash_mismatch}
 * @param message one line for a person: what was wrong and what to do
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ErrorBody(String error, String message) {
    public ErrorBody {
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(message, "message");
    }
}
