package dfs.chunkserver.http;

/**
 * A request the handlers refuse, with the HTTP status and stable error code of the answer. Thrown
 * by handlers and turned into an {@code ErrorBody} answer by {@link ErrorAnswers}. Immutable.
 */
final class ApiException extends RuntimeException {
    private final int status;
    private final String code;

    ApiException(int status, String code, String message) {
        super(message, null, false, false); // control flow, not a fault: no stack trace
        this.status = status;
        this.code = code;
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }
}
