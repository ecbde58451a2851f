package dfs.master.cli;

import dfs.master.metadata.FileSummary;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The output of {@code list}: a header, one line per file (name, size, chunks, upload time in
 * this machine's zone) and a total. Lines are built by hand rather than with {@code printf}:
 * for 100,000 files {@link java.util.Formatter} cost more than reading the metadata. Stateless.
 */
final class Listing {
    private static final String LINE = "%-40s %12s %7s  %s%n";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneId.systemDefault());

    private Listing() {}

    /** {@code instant} as listings show times: local time to the second. */
    static String time(Instant instant) {
        return TIME.format(instant);
    }

    /**
     * The files of {@code files} (sorted by name) named {@code name} or under {@code name/}, as a
     * shell lists a file or a folder; a trailing {@code /} asks for the folder only.
     */
    static List<FileSummary> named(List<FileSummary> files, String name) {
        String file = name.endsWith("/") ? null : name;
        String folder = name.endsWith("/") ? name : name + "/";
        return files.stream().filter(f -> f.name().equals(file) || f.name().startsWith(folder)).toList();
    }

    /** Prints {@code files} (sorted by name) to {@code out}. */
    static void print(List<FileSummary> files, PrintWriter out) {
        if (files.isEmpty()) {
            out.println("no files stored yet; 'upload FILE' stores one");
            return;
        }
        out.printf(LINE, "NAME", "SIZE", "CHUNKS", "UPLOADED");
        StringBuilder line = new StringBuilder(128);
        String newline = System.lineSeparator();
        long total = 0;
        for (FileSummary f : files) {
            line.setLength(0);
            padEnd(line, f.name(), 40).append(' ');
            padStart(line, Units.bytes(f.size()), 12).append(' ');
            padStart(line, Integer.toString(f.chunkCount()), 7).append("  ");
            time(line, f.created()).append(newline);
            out.append(line);
            total += f.size();
        }
        out.printf("%d file%s, %s%n", files.size(), files.size() == 1 ? "" : "s", Units.bytes(total));
    }

    /** As {@code %-<width>s}: never cuts a longer text. */
    static StringBuilder padEnd(StringBuilder line, String text, int width) {
        line.append(text);
        for (int i = text.length(); i < width; i++) {
            line.append(' ');
        }
        return line;
    }

    /** As {@code %<width>s}. */
    static StringBuilder padStart(StringBuilder line, String text, int width) {
        for (int i = text.length(); i < width; i++) {
            line.append(' ');
        }
        return line.append(text);
    }

    /** {@code yyyy-MM-dd HH:mm:ss} in this machine's zone. */
    static StringBuilder time(StringBuilder line, Instant instant) {
        LocalDateTime t = LocalDateTime.ofInstant(instant, TIME.getZone());
        if (t.getYear() < 1 || t.getYear() > 9999) {
            return line.append(TIME.format(instant)); // eras and signs: the formatter's business
        }
        digits(line, t.getYear(), 4).append('-');
        digits(line, t.getMonthValue(), 2).append('-');
        digits(line, t.getDayOfMonth(), 2).append(' ');
        digits(line, t.getHour(), 2).append(':');
        digits(line, t.getMinute(), 2).append(':');
        return digits(line, t.getSecond(), 2);
    }

    private static StringBuilder digits(StringBuilder line, int value, int width) {
        for (int limit = 10, i = 1; i < width; i++, limit *= 10) {
            if (value < limit) {
                line.append('0');
            }
        }
        return line.append(value);
    }
}
