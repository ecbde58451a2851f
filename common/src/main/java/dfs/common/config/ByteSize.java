package dfs.common.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A number of bytes, written with binary units: {@code 4194304}, {@code 1000B}, {@code 512KiB},
 * {@code 4MiB}, {@code 1GiB}, {@code 1TiB}. Decimal-looking units ({@code MB}, {@code KB}, ...)
 * are refused because half of the world reads them as powers of 1000. Immutable.
 *
 * @param bytes the size in bytes, never negative
 */
public record ByteSize(long bytes) {
    private static final Pattern FORMAT = Pattern.compile("(\\d+)\\s*([a-zA-Z]*)");
    /** Units from the largest down, so {@link #toString()} finds the shortest exact form first. */
    private static final String[] UNITS = {"TiB", "GiB", "MiB", "KiB"};

    public ByteSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("a size cannot be negative: " + bytes);
        }
    }

    public static ByteSize ofKiB(long kib) {
        return new ByteSize(Math.multiplyExact(kib, 1024L));
    }

    public static ByteSize ofMiB(long mib) {
        return new ByteSize(Math.multiplyExact(mib, 1024L * 1024));
    }

    /**
     * Parses a size such as {@code 4MiB}, {@code 512 KiB} or {@code 4194304}; the unit is
     * case-insensitive.
     *
     * @throws IllegalArgumentException naming the text and the expected form
     */
    public static ByteSize parse(String text) {
        Matcher m = FORMAT.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size; expected a size like 4MiB or 512KiB");
        }
        String number = m.group(1);
        String unit = m.group(2).toLowerCase(Locale.ROOT);
        long multiplier = switch (unit) {
            case "", "b" -> 1L;
            case "kib" -> 1L << 10;
            case "mib" -> 1L << 20;
            case "gib" -> 1L << 30;
            case "tib" -> 1L << 40;
            case "k", "kb", "m", "mb", "g", "gb", "t", "tb" -> throw new IllegalArgumentException("'" + text
                    + "' is ambiguous (1000 or 1024?); write " + number + Character.toUpperCase(unit.charAt(0))
                    + "iB");
            default -> throw new IllegalArgumentException("'" + text + "' has an unknown unit '" + m.group(2)
                    + "'; expected a size like 4MiB or 512KiB (units B, KiB, MiB, GiB, TiB)");
        };
        try {
            return new ByteSize(Math.multiplyExact(Long.parseLong(number), multiplier));
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too large for a size");
        }
    }

    /** The shortest exact form: {@code 4MiB}, {@code 512KiB}, {@code 1000B}. Parses back to this size. */
    @Override
    public String toString() {
        for (int i = 0; i < UNITS.length; i++) {
            long unit = 1L << (10 * (UNITS.length - i));
            if (bytes != 0 && bytes % unit == 0) {
                return bytes / unit + UNITS[i];
            }
        }
        return bytes + "B";
    }

    /**
     * {@code n} bytes for a person, in binary units with one decimal, rounded half up: {@code 512 B},
     * {@code 1.5 KiB}, {@code 4.0 MiB}, {@code 61.8 GiB}. Not parsed back; {@link #toString()} is.
     */
    public static String human(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1L << 40) {
            // as approximate(n), in integers: a listing prints one size per file
            int u = n < 1 << 20 ? 0 : n < 1 << 30 ? 1 : 2;
            long unit = 1L << 10 * (u + 1);
            long tenths = (n * 10 + unit / 2) / unit; // half up, as Formatter rounds
            return tenths / 10 + "." + tenths % 10 + (u == 0 ? " KiB" : u == 1 ? " MiB" : " GiB");
        }
        return approximate(n);
    }

    /** {@code n} (at least 1024) in the largest unit that keeps the value at or above 1, one decimal. */
    public static String approximate(long n) {
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
