package dfs.common.config;

import dfs.common.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Edits {@code dfs_setup.config} in place for {@code ./dfs init}: sets the one
 * {@code cluster_secret} line and leaves every other line, comment and line ending as the user
 * wrote it. Creates the file from the shipped default text when it does not exist. Stateless;
 * concurrent writers of one file must coordinate themselves.
 */
public final class ConfigFile {
    /** The shipped default, copied by the build from the repository root (one source of truth). */
    static final String DEFAULT_RESOURCE = "dfs_setup.config";

    private ConfigFile() {}

    /**
     * Writes {@code secret} as the {@code cluster_secret} of {@code file}, atomically. Note that
     * the new file is readable by its owner only, as befits a file holding the secret.
     *
     * @param force replace a secret that is already set (every machine then needs the new file)
     * @throws ConfigException if a secret is already set and {@code force} is false, or the
     *     existing file cannot be read as key = value lines
     * @throws IOException if the file cannot be read or written
     */
    public static void writeClusterSecret(Path file, ClusterSecret secret, boolean force) throws IOException {
        String text = text(file);
        if (!force && hasClusterSecret(file, text)) {
            throw new ConfigException(file + ": " + DfsConfig.CLUSTER_SECRET + " is already set; use --force to"
                    + " replace it, then copy the file to every machine again");
        }
        String updated = withSecret(text, secret);
        if (!secret.encoded().equals(ConfigValues.parse(file, updated).get(DfsConfig.CLUSTER_SECRET))) {
            throw new IllegalStateException(file + ": the edited text does not read back the new "
                    + DfsConfig.CLUSTER_SECRET + "; file left unchanged");
        }
        AtomicFiles.write(file, updated.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Whether {@code file} sets a {@code cluster_secret} (of any value: {@link DfsConfig#load}
     * judges it); a missing file sets none.
     *
     * @throws ConfigException if the file cannot be read as key = value lines
     * @throws IOException if the file cannot be read
     */
    public static boolean hasClusterSecret(Path file) throws IOException {
        return hasClusterSecret(file, text(file));
    }

    private static boolean hasClusterSecret(Path file, String text) {
        return !ConfigValues.parse(file, text).getOrDefault(DfsConfig.CLUSTER_SECRET, "").isEmpty();
    }

    /** The text of {@code file}, or the shipped default's if there is no such file. */
    private static String text(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : defaultText();
    }

    /** The text of the shipped {@code dfs_setup.config}. */
    static String defaultText() {
        try (InputStream in = ConfigFile.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the default " + DEFAULT_RESOURCE + " is missing from the classpath;"
                        + " the build copies it from the repository root");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the default " + DEFAULT_RESOURCE, e);
        }
    }

    /**
     * Replaces the logical line that sets {@code cluster_secret} (with any continuation lines)
     * or, if there is none, appends one. Lines are split on '\n' only, so a '\r' before it stays
     * part of the line and Windows line endings survive.
     */
    static String withSecret(String text, ClusterSecret secret) {
        String entry = DfsConfig.CLUSTER_SECRET + " = " + secret.encoded();
        List<String> out = new ArrayList<>();
        boolean continued = false; // the previous line ends in a continuation backslash
        boolean dropping = false; // skipping continuation lines of the replaced entry
        boolean replaced = false;
        for (String line : text.split("\n", -1)) {
            String content = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
            String cr = line.substring(content.length());
            String lead = content.stripLeading();
            boolean comment = !continued && (lead.isEmpty() || lead.startsWith("#") || lead.startsWith("!"));
            boolean continues = !comment && endsWithContinuation(content);
            if (!continued && !comment && keyOf(lead).equals(DfsConfig.CLUSTER_SECRET)) {
                out.add(entry + cr);
                replaced = true;
                dropping = continues;
            } else if (continued && dropping) {
                dropping = continues;
            } else {
                out.add(line);
                dropping = false;
            }
            continued = continues;
        }
        if (replaced) {
            return String.join("\n", out);
        }
        String newline = text.contains("\r\n") ? "\r\n" : "\n";
        StringBuilder sb = new StringBuilder(text);
        if (!text.isEmpty() && !text.endsWith("\n")) {
            sb.append(newline);
        }
        return sb.append(newline)
                .append("# The cluster's shared secret, written by './dfs init'; the same on every machine.")
                .append(newline).append(entry).append(newline).toString();
    }

    /** The key of a properties line: everything up to the first whitespace, '=' or ':'. */
    private static String keyOf(String lead) {
        int end = 0;
        while (end < lead.length() && " \t\f=:".indexOf(lead.charAt(end)) < 0) {
            end++;
        }
        return lead.substring(0, end);
    }

    private static boolean endsWithContinuation(String content) {
        int backslashes = 0;
        for (int i = content.length() - 1; i >= 0 && content.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }
}
