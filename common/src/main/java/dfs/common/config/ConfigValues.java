package dfs.common.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;

/**
 * The raw {@code key -> text} entries of one configuration file and their conversion to typed
 * values, turning every failure into a one-line {@link ConfigException} that names the file and
 * the key. Syntax only: ranges and combinations are checked by {@link DfsConfig} itself.
 */
final class ConfigValues {
    /** The old design kept the AES key in the shared file; it now stays on the master alone. */
    static final String LEGACY_MASTER_KEY = "master_key";

    private final Path source;
    private final Map<String, String> raw;

    /** Refuses unknown and legacy keys up front, so a typo never silently means "use the default". */
    ConfigValues(Path source, Map<String, String> raw) {
        this.source = source;
        this.raw = Map.copyOf(raw);
        for (String key : raw.keySet()) {
            if (key.equals(LEGACY_MASTER_KEY)) {
                throw new ConfigException(source + ": " + LEGACY_MASTER_KEY + " is no longer read from this file: the"
                        + " master key now lives in its own file on the master machine (" + DfsConfig.MASTER_KEY_FILE
                        + ", default master.key); remove the " + LEGACY_MASTER_KEY + " line");
            }
            if (!DfsConfig.KEYS.contains(key)) {
                throw new ConfigException(source + ": unknown key '" + key + "'; " + suggestionFor(key));
            }
        }
    }

    /**
     * Reads properties text ({@code key value} or {@code key = value}, {@code #} comments) into
     * its entries in file order, values stripped. A key given twice is refused: which line wins
     * would otherwise be invisible.
     */
    static Map<String, String> parse(Path source, String text) {
        Map<String, String> entries = new LinkedHashMap<>();
        @SuppressWarnings("serial") // never serialized: lives only for this call
        Properties collector = new Properties() {
            @Override
            public synchronized Object put(Object key, Object value) {
                if (entries.putIfAbsent((String) key, ((String) value).strip()) != null) {
                    throw new ConfigException(source + ": " + key + " is set more than once; keep one line");
                }
                return null;
            }
        };
        try {
            collector.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException e) {
            // Only malformed \\uXXXX escapes get here; the JDK's message does not quote the value.
            throw new ConfigException(source + ": cannot read it as key = value lines: " + e.getMessage(), e);
        }
        return entries;
    }

    /** The parsed value of {@code key}, or {@code dflt} when the key is absent or empty. */
    <T> T get(String key, T dflt, Function<String, T> parser) {
        String text = raw.get(key);
        if (text == null || text.isEmpty()) {
            return dflt;
        }
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(source + ": " + key + " " + e.getMessage());
        }
    }

    /** Like {@link #get} for the cluster secret, whose text must never reach a message. */
    Optional<ClusterSecret> secret(String key) {
        String text = raw.get(key);
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        String problem = ClusterSecret.problemWith(text);
        if (problem != null) {
            throw new ConfigException(source + ": " + key + " is not valid (value not shown): " + problem
                    + "; copy " + source.getFileName() + " again from the machine where it was written");
        }
        return Optional.of(ClusterSecret.parse(text));
    }

    /** A path, resolved against the configuration file's folder when relative. */
    Path path(String key, String dflt) {
        return get(key, source.getParent().resolve(dflt), text -> {
            try {
                return source.getParent().resolve(text).normalize();
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException("'" + text + "' is not a valid path: " + e.getReason());
            }
        });
    }

    static int integer(String text) {
        if (!text.matches("-?\\d{1,9}")) {
            throw new IllegalArgumentException("'" + text + "' is not a whole number; expected a number like 2");
        }
        return Integer.parseInt(text);
    }

    /** Host:port entries separated by commas and/or whitespace. */
    static List<HostPort> hostPorts(String text) {
        List<HostPort> out = new ArrayList<>();
        for (String item : text.split("[,\\s]+")) {
            if (!item.isEmpty()) {
                out.add(HostPort.parse(item));
            }
        }
        return out;
    }

    private static String suggestionFor(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String known : DfsConfig.KEYS) {
            int d = distance(lower, known);
            if (d < bestDistance) {
                best = known;
                bestDistance = d;
            }
        }
        if (bestDistance <= Math.max(2, key.length() / 3)) {
            return "did you mean '" + best + "'?";
        }
        for (String known : DfsConfig.KEYS) {
            if (lower.length() >= 4 && (known.contains(lower) || lower.contains(known))) {
                return "did you mean '" + known + "'?";
            }
        }
        return "known keys are " + String.join(", ", DfsConfig.KEYS);
    }

    /** Levenshtein edit distance. */
    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
