package dfs.common.config;

/**
 * The configuration cannot be used as it is: a missing or unreadable file, an unknown key, a bad
 * value or a bad combination of values. The message is one line naming the file, the key, the
 * offending value (never for secrets) and what is expected, so it can be shown to the user as is.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
