package dfs.master.metadata;

import java.nio.charset.StandardCharsets;

/**
 * The rules for a DFS file name: a relative path with {@code /} between folders, as a folder
 * upload keeps it ({@code photos/2024/a.jpg}).
 *
 * <p>These rules are what keeps a download from ever writing outside its output folder, on Linux,
 * macOS and Windows alike, so they are strict: a name is non-empty, at most {@value #MAX_BYTES}
 * UTF-8 bytes, valid Unicode, without control characters (NUL included), backslash or colon (a
 * drive letter or stream name on Windows), does not start with {@code /}, and has no empty
 * segment and no segment made only of dots and spaces ({@code .}, {@code ..}, {@code ...},
 * {@code ". ."}: Windows trims trailing dots and spaces, so {@code ".. "} would mean {@code ..}).
 * Stateless and thread-safe.
 */
public final class FileNames {
    /** The longest name accepted, in UTF-8 bytes. */
    public static final int MAX_BYTES = 1024;

    private FileNames() {}

    /**
     * Returns {@code name} if it is a valid DFS file name, else throws an
     * {@link IllegalArgumentException} whose one-line message names it and the rule it broke.
     */
    public static String check(String name) {
        String problem = problem(name);
        if (problem != null) {
            throw new IllegalArgumentException("invalid file name " + quoted(name) + ": " + problem);
        }
        return name;
    }

    /** Whether {@code name} is a valid DFS file name. */
    public static boolean isValid(String name) {
        return problem(name) == null;
    }

    /** What is wrong with {@code name}, or null if nothing is. */
    private static String problem(String name) {
        if (name == null) {
            return "a name is required";
        }
        if (name.isEmpty()) {
            return "must not be empty";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isISOControl(c)) {
                return String.format("contains control character U+%04X at index %d", (int) c, i);
            }
            if (c == '\\') {
                return "contains a backslash; separate folders with '/'";
            }
            if (c == ':') {
                return "contains ':', which names a drive or a data stream on Windows";
            }
            if (Character.isHighSurrogate(c) && i + 1 < name.length()
                    && Character.isLowSurrogate(name.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "contains an unpaired surrogate at index " + i + " (not valid Unicode)";
            }
        }
        // a char is at most 3 UTF-8 bytes (a surrogate pair 4 for two), so short names need no count
        int bytes = name.length() <= MAX_BYTES / 3 ? 0 : name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            return bytes + " UTF-8 bytes long, at most " + MAX_BYTES + " allowed";
        }
        if (name.startsWith("/")) {
            return "must be a relative path, not start with '/'";
        }
        // every segment, the one after a trailing '/' too, in one pass: the store checks each
        // name it loads
        int start = 0;
        for (int end = 0; end <= name.length(); end++) {
            if (end < name.length() && name.charAt(end) != '/') {
                continue;
            }
            if (end == start) {
                return "has an empty segment (doubled or trailing '/')";
            }
            if (onlyDotsAndSpaces(name, start, end)) {
                return "has segment '" + name.substring(start, end) + "' made only of dots and spaces,"
                        + " which could name a parent folder";
            }
            start = end + 1;
        }
        return null;
    }

    private static boolean onlyDotsAndSpaces(String name, int from, int to) {
        for (int i = from; i < to; i++) {
            if (name.charAt(i) != '.' && name.charAt(i) != ' ') {
                return false;
            }
        }
        return true;
    }

    private static String quoted(String name) {
        return name == null ? "null" : "'" + printable(name) + "'";
    }

    /**
     * {@code text} made safe for a one-line message: control characters and unpaired surrogates
     * escaped as {@code \}{@code uXXXX}, cut after 100 characters.
     */
    static String printable(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder();
        int limit = Math.min(text.length(), 100);
        if (limit < text.length() && Character.isHighSurrogate(text.charAt(limit - 1))) {
            limit--; // keep a pair whole
        }
        for (int i = 0; i < limit; i++) {
            char c = text.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))
                    || Character.isLowSurrogate(c) && i > 0
                    && Character.isHighSurrogate(text.charAt(i - 1));
            if (Character.isISOControl(c) || Character.isSurrogate(c) && !paired) {
                out.append(String.format("\\u%04X", (int) c));
            } else {
                out.append(c);
            }
        }
        if (text.length() > limit) {
            out.append("... (").append(text.length()).append(" characters)");
        }
        return out.toString();
    }
}
