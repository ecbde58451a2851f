package dfs.master.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dfs.common.config.ByteSize;
import dfs.master.metadata.FileSummary;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** 'list' prints, without Formatter, exactly what its printf format says. */
class ListingTest {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneId.systemDefault());

    /** A file of {@code size} bytes in chunks of at most 2 GiB (none when empty), uploaded at {@code created}. */
    private static FileSummary file(String name, long size, Instant created) {
        return new FileSummary(name, size, (int) ((size + Integer.MAX_VALUE - 1) / Integer.MAX_VALUE), created);
    }

    /** The output as the printf formats describe it. */
    private static String reference(List<FileSummary> files) {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        out.printf("%-40s %12s %7s  %s%n", "NAME", "SIZE", "CHUNKS", "UPLOADED");
        long total = 0;
        for (FileSummary f : files) {
            out.printf("%-40s %12s %7d  %s%n", f.name(), reference(f.size()), f.chunkCount(), TIME.format(f.created()));
            total += f.size();
        }
        out.printf("%d file%s, %s%n", files.size(), files.size() == 1 ? "" : "s", reference(total));
        return text.toString();
    }

    private static String reference(long n) {
        return n < 1024 ? n + " B" : ByteSize.approximate(n);
    }

    private static String listing(List<FileSummary> files) {
        StringWriter text = new StringWriter();
        Listing.print(files, new PrintWriter(text));
        return text.toString();
    }

    @Test
    void linesAreWhatThePrintfFormatMakes() {
        List<FileSummary> files = List.of(
                file("a", 0, Instant.parse("2024-05-01T12:00:00Z")),
                file("photos/été/x.jpg", 1023, Instant.parse("1970-01-01T00:00:00.999Z")),
                file("b".repeat(39), 1024, Instant.parse("2026-11-25T01:14:47.123456789Z")),
                file("c".repeat(40), 1535, Instant.parse("0001-01-01T12:00:00Z")),
                file("d".repeat(45), 1536, Instant.parse("9999-12-30T12:00:00Z")),
                file("e", 1048575, Instant.parse("2024-02-29T23:59:59Z")),
                file("f", 5_000_000_000L, Instant.parse("2024-05-01T12:00:00Z")),
                file("g", (1L << 40) + 1, Instant.parse("2024-05-01T12:00:00Z")));
        assertThat(listing(files)).isEqualTo(reference(files));
    }

    @Test
    void sizesAreRoundedAsPercentPointOneF() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int unit = 10; unit <= 40; unit += 10) {
            for (long tenth = 1; tenth < 10_240; tenth++) {
                long half = (tenth * 2 + 1) * (1L << unit) / 20; // around every rounding boundary
                for (long n : new long[] {half - 1, half, half + 1}) {
                    if (n >= 1024) {
                        assertThat(Units.bytes(n)).as("%d", n).isEqualTo(reference(n));
                    }
                }
            }
        }
        for (int i = 0; i < 100_000; i++) {
            long n = random.nextLong(1L << 1 + random.nextInt(62));
            assertThat(Units.bytes(n)).as("%d (seed %d)", n, seed).isEqualTo(reference(n));
        }
    }

    @Test
    void anEmptyStoreSaysHowToStoreAFile() {
        assertThat(listing(List.of())).isEqualTo("no files stored yet; 'upload FILE' stores one" + System.lineSeparator());
    }

    @Test
    void aNameSelectsThatFileAndEveryFileInTheFolderOfThatName() {
        Instant t = Instant.parse("2026-12-01T06:00:00Z");
        List<FileSummary> files = List.of(file("photos", 1, t), file("photos/2024/a.jpg", 2, t), file("photos/b.jpg", 3, t),
                file("photos2/c.jpg", 4, t), file("photos.txt", 5, t));

        assertThat(Listing.named(files, "photos")).extracting(FileSummary::name)
                .containsExactly("photos", "photos/2024/a.jpg", "photos/b.jpg");
        assertThat(Listing.named(files, "photos/")).extracting(FileSummary::name)
                .containsExactly("photos/2024/a.jpg", "photos/b.jpg");
        assertThat(Listing.named(files, "photos/2024")).extracting(FileSummary::name).containsExactly("photos/2024/a.jpg");
        assertThat(Listing.named(files, "photos.txt")).extracting(FileSummary::name).containsExactly("photos.txt");
        assertThat(Listing.named(files, "phot")).isEmpty();
    }
}
