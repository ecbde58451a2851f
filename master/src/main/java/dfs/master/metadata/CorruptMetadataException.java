package dfs.master.metadata;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The metadata snapshot or journal cannot be read back: a line that is not what the master
 * writes. Loading stops rather than drop the file records that line may hold; the message names
 * the file and line so a person can restore or repair it.
 */
public class CorruptMetadataException extends IOException {
    private final transient Path file;
    private final long line;

    /**
     * @param line the 1-based line of the problem, or 0 if it is not tied to one line
     */
    public CorruptMetadataException(Path file, long line, String problem, Throwable cause) {
        super("corrupt metadata in " + file + (line > 0 ? " at line " + line : "") + ": " + problem
                + "; the master will not start with it: restore the file from a backup or repair"
                + (line > 0 ? " that line" : " it"), cause);
        this.file = file;
        this.line = line;
    }

    /** The snapshot or journal file that is corrupt. */
    public Path file() {
        return file;
    }

    /** The 1-based line of the problem, or 0 if it is not tied to one line. */
    public long line() {
        return line;
    }

    /** The exception for a JSON read failure in {@code file}, at the line the parser was on. */
    static CorruptMetadataException of(Path file, JsonProcessingException e) {
        JsonLocation where = e.getLocation();
        return of(file, where == null ? 0 : Math.max(0, where.getLineNr()), e);
    }

    /** The exception for a JSON read failure at a known line of {@code file}. */
    static CorruptMetadataException of(Path file, long line, JsonProcessingException e) {
        // a record's own validation message says more than Jackson's wrapper around it
        String problem = e instanceof ValueInstantiationException && e.getCause() != null
                ? e.getCause().getMessage()
                : e.getOriginalMessage();
        return new CorruptMetadataException(file, line, String.valueOf(problem).replace('\n', ' '), e);
    }
}
