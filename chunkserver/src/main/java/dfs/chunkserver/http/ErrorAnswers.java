package dfs.chunkserver.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dfs.chunkserver.store.ChunkConflictException;
import dfs.chunkserver.store.ChunkTooLargeException;
import dfs.chunkserver.store.CorruptChunkException;
import dfs.chunkserver.store.DiskFullException;
import dfs.chunkserver.store.HashMismatchException;
import dfs.chunkserver.store.LengthMismatchException;
import dfs.common.json.Json;
import dfs.common.wire.ErrorBody;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns a failure into an HTTP error answer: every error, whether raised by a
 * handler, by the store, by Javalin's router (unknown path, wrong method) or by Jetty itself (a
 * malformed request; see {@link JsonErrorHandler}), goes out as an {@link ErrorBody} JSON document
 * and is logged as one WARN line. Unexpected exceptions become a 500 whose body says nothing
 * about the server's internals. Stateless and thread-safe.
 */
final class ErrorAnswers {
    static final String JSON = "application/json";
    private static final Logger LOG = LoggerFactory.getLogger(ErrorAnswers.class);

    private ErrorAnswers() {}

    /** Javalin exception handler for everything a route can throw. */
    static void answer(Exception e, Context ctx) {
        if (e instanceof ApiException api) {
            send(ctx, api.status(), api.code(), api.getMessage(), null);
        } else if (e instanceof HttpResponseException http) {
            send(ctx, http.getStatus(), codeFor(http.getStatus()), routerMessage(http.getStatus(), ctx), null);
        } else if (e instanceof org.eclipse.jetty.http.HttpException jetty && jetty.getCode() < 500) {
            // Jetty refusing the request body itself: too slow (408, minimum data rate), malformed
            send(ctx, jetty.getCode(), codeFor(jetty.getCode()), jettyMessage(jetty.getCode(), jetty.getReason()), null);
        } else if (e instanceof HashMismatchException) {
            send(ctx, 400, "hash_mismatch", e.getMessage(), null);
        } else if (e instanceof LengthMismatchException) {
            send(ctx, 400, "length_mismatch", e.getMessage(), null);
        } else if (e instanceof ChunkConflictException) {
            send(ctx, 409, "chunk_conflict", e.getMessage(), null);
        } else if (e instanceof ChunkTooLargeException) {
            send(ctx, 413, "chunk_too_large", e.getMessage(), null);
        } else if (e instanceof DiskFullException) {
            send(ctx, 507, "disk_full", e.getMessage(), null);
        } else if (e instanceof CorruptChunkException) {
            send(ctx, 500, "chunk_corrupt", e.getMessage(), null);
        } else {
            send(ctx, 500, "internal_error", "internal error in the chunk server; its log has the details", e);
        }
    }

    private static void send(Context ctx, int status, String code, String message, Throwable unexpected) {
        String request = ctx.method() + " " + printable(ctx.path());
        if (ctx.res().isCommitted()) {
            // A download broke off after its headers went out; the client sees a short body.
            LOG.warn("{} failed after the answer began: {}", request, message, unexpected);
            return;
        }
        if (status == 404) {
            LOG.debug("{} {} {}: {}", status, code, request, message); // asking is how a client learns it
        } else {
            LOG.warn("{} {} {}: {}", status, code, request, message, unexpected);
        }
        ctx.res().reset();
        ctx.status(status).contentType(JSON).result(body(code, message));
    }

    /** The JSON bytes of an error answer. */
    static byte[] body(String code, String message) {
        try {
            return Json.mapper().writeValueAsBytes(new ErrorBody(code, message));
        } catch (JsonProcessingException e) {
            // Two strings cannot fail to serialise; keep the shape even if they somehow do.
            return ("{\"error\":\"internal_error\",\"message\":\"error answer failed\"}")
                    .getBytes(StandardCharsets.UTF_8);
        }
    }

    /** The stable code of a status that has no more specific one. */
    static String codeFor(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 408 -> "request_timeout";
            case 411 -> "length_required";
            case 413 -> "payload_too_large";
            case 414 -> "uri_too_long";
            case 431 -> "headers_too_large";
            case 500 -> "internal_error";
            case 503 -> "unavailable";
            default -> "http_" + status;
        };
    }

    private static String jettyMessage(int status, String reason) {
        String text = reason == null || reason.isBlank() ? "request refused" : printable(reason);
        return status == 408 ? "upload too slow or stalled: " + text + "; nothing stored" : text;
    }

    private static String routerMessage(int status, Context ctx) {
        String request = ctx.method() + " " + printable(ctx.path());
        return switch (status) {
            case 404 -> "no endpoint " + request + "; this server speaks protocol v1 under /v1";
            case 405 -> "method not allowed: " + request;
            default -> "request refused: " + request;
        };
    }

    /** Request text made safe for one log line: no control characters, bounded length. */
    static String printable(String s) {
        if (s == null) {
            return "";
        }
        String clean = s.replaceAll("[^\\x20-\\x7e]", "?");
        return clean.length() > 120 ? clean.substring(0, 120) + "..." : clean;
    }
}
