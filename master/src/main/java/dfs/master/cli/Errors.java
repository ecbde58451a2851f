package dfs.master.cli;

import dfs.common.config.ConfigException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.CompletionException;
import picocli.CommandLine;

/**
 * Turns any failure into the one line a person reads and the exit code a script reads. The
 * single place that decides how errors look.
 */
final class Errors {
    private Errors() {}

    static String describe(Throwable e) {
        e = unwrap(e);
        if (e instanceof NoSuchFileException f) {
            return f.getFile() + ": " + (f.getReason() == null ? "no such file" : f.getReason());
        }
        if (e instanceof AccessDeniedException f) {
            return f.getFile() + ": permission denied";
        }
        if (e instanceof FileAlreadyExistsException f) {
            return f.getFile() + ": " + (f.getReason() == null ? "already exists" : f.getReason());
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getFile() + ": " + f.getReason();
        }
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            message = e.getClass().getSimpleName();
        }
        return message.lines().findFirst().orElse(message);
    }

    static int exitCode(Throwable e) {
        e = unwrap(e);
        if (e instanceof ConfigException || e instanceof IllegalArgumentException
                || e instanceof CommandLine.ParameterException) {
            return ExitCodes.USAGE;
        }
        return ExitCodes.FAILED;
    }

    private static Throwable unwrap(Throwable e) {
        while ((e instanceof CompletionException || e instanceof UncheckedIOException
                || e instanceof CommandLine.ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /** Picocli handler: one line on stderr, the matching exit code, no stack trace. */
    static CommandLine.IExecutionExceptionHandler handler() {
        return (ex, cmd, parsed) -> {
            cmd.getErr().println("dfs: " + describe(ex));
            cmd.getErr().flush();
            return exitCode(ex);
        };
    }
}
