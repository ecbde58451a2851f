package dfs.chunkserver.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dfs.common.json.Json;
import io.javalin.json.JsonMapper;
import java.lang.reflect.Type;

/**
 * Writes the chunk server's JSON answers with the project's one mapper ({@link Json}). Javalin's
 * own Jackson adapter builds its mapper on first use through a lazy value that is not safe across
 * threads: two requests answered at once on a fresh server could both start it, and one then
 * failed with a NullPointerException inside Javalin (a health check answered 500 in a benchmark on
 * 2026-12-02; 1 in 500 rounds of four threads' first answers in a probe). This one holds a ready
 * mapper from the start. Requests are read with {@link Json} directly, so only writing is needed.
 * Immutable and thread-safe.
 */
final class AnswerJson implements JsonMapper {
    @Override
    public String toJsonString(Object answer, Type type) {
        try {
            return Json.mapper().writeValueAsString(answer);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the answer as JSON: " + e.getOriginalMessage(), e);
        }
    }
}
