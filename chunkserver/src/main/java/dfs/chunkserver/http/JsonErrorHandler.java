package dfs.chunkserver.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty's answers to requests that never reach a route (unparseable or ambiguous URIs, oversized
 * headers, unknown HTTP versions, which are answered 400 rather than Jetty's 505: the fault is the
 * client's), in the same {@code ErrorBody} shape as every other error, bodies built by
 * {@link ErrorAnswers#body}. Never shows stack traces. Thread-safe.
 */
final class JsonErrorHandler extends ErrorHandler {
    private static final Logger LOG = LoggerFactory.getLogger(JsonErrorHandler.class);

    JsonErrorHandler() {
        setShowStacks(false);
        setShowCauses(false);
    }

    /** Every method gets a body; Jetty's default spares PUT and DELETE, leaving them empty. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message,
            Throwable cause, Callback callback) throws IOException {
        if (code == HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505) {
            // a request line with an unknown or missing version is the client's fault, not the server's
            code = HttpStatus.BAD_REQUEST_400;
            message = "unsupported HTTP version: this server speaks HTTP/1.1";
            response.setStatus(code);
        }
        String text = describe(code, message);
        LOG.warn("{} {} {} {}: {}", code, ErrorAnswers.codeFor(code), request.getMethod(),
                ErrorAnswers.printable(request.getHttpURI().getPathQuery()), text);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, ErrorAnswers.JSON);
        response.write(true, ByteBuffer.wrap(ErrorAnswers.body(ErrorAnswers.codeFor(code), text)), callback);
    }

    /** Jetty's own message for a refused request; for a server fault only the reason phrase. */
    private static String describe(int status, String message) {
        String reason = HttpStatus.getMessage(status);
        if (status >= 500 || message == null || message.isBlank()) {
            return reason;
        }
        return ErrorAnswers.printable(message);
    }
}
