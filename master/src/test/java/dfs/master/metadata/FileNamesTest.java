package dfs.master.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class FileNamesTest {
    @ParameterizedTest
    @ValueSource(strings = {"a.txt", "dir/sub/b.bin", "été/фото 2024.jpg", "日本語/ファイル.txt",
        "\uD83D\uDE00.png", ".hidden", "dir/.hidden/x", "a..b", "..a", "a..", "a.", "with spaces",
        " leading space", "a/b/c/d/e/f", "x=1&y=2 (copy) [1] {2} #3 %20 ~", "'quoted\""})
    void acceptsRelativePathsWithOrdinarySegments(String name) {
        assertThat(FileNames.isValid(name)).isTrue();
        assertThat(FileNames.check(name)).isSameAs(name);
    }

    @Test
    void acceptsExactly1024Utf8Bytes() {
        assertThat(FileNames.isValid("a".repeat(1024))).isTrue();
        assertThat(FileNames.isValid("é".repeat(512))).isTrue(); // 2 bytes each
        assertThat(FileNames.isValid("\uD83D\uDE00".repeat(256))).isTrue(); // 4 bytes each
    }

    static Stream<Arguments> badNames() {
        return Stream.of(
                Arguments.of("", "must not be empty"),
                Arguments.of("../x", "segment '..'"),
                Arguments.of("a/../b", "segment '..'"),
                Arguments.of("a/..", "segment '..'"),
                Arguments.of("..", "segment '..'"),
                Arguments.of(".", "segment '.'"),
                Arguments.of("./a", "segment '.'"),
                Arguments.of("a/./b", "segment '.'"),
                Arguments.of("...", "segment '...'"),
                Arguments.of(".. /x", "segment '.. '"),
                Arguments.of("a/ /b", "segment ' '"),
                Arguments.of("/abs", "must be a relative path"),
                Arguments.of("/", "must be a relative path"),
                Arguments.of("a//b", "empty segment"),
                Arguments.of("a/", "empty segment"),
                Arguments.of("a\\b", "backslash"),
                Arguments.of("..\\..\\x", "backslash"),
                Arguments.of("C:/x", "contains ':'"),
                Arguments.of("c:x", "contains ':'"),
                Arguments.of("a.txt:stream", "contains ':'"),
                Arguments.of("a\u0000b", "control character U+0000 at index 1"),
                Arguments.of("a\nb", "control character U+000A"),
                Arguments.of("a\rb", "control character U+000D"),
                Arguments.of("\tx", "control character U+0009 at index 0"),
                Arguments.of("x\u001b[31m", "control character U+001B"),
                Arguments.of("del\u007f", "control character U+007F"),
                Arguments.of("c1\u0085", "control character U+0085"),
                Arguments.of("bad\uD800", "unpaired surrogate at index 3"),
                Arguments.of("\uDC00x", "unpaired surrogate at index 0"),
                Arguments.of("a".repeat(1025), "1025 UTF-8 bytes long, at most 1024"),
                Arguments.of("é".repeat(512) + "a", "1025 UTF-8 bytes long, at most 1024"));
    }

    @ParameterizedTest
    @MethodSource("badNames")
    void refusesNamesThatBreakARuleAndSaysWhich(String name, String rule) {
        assertThat(FileNames.isValid(name)).isFalse();
        assertThatThrownBy(() -> FileNames.check(name))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid file name '")
                .hasMessageContaining(rule)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n", "\r", "\u0000"));
    }

    @Test
    void errorNamesTheBadNameWithControlCharactersEscaped() {
        assertThatThrownBy(() -> FileNames.check("dir/a\u0000b"))
                .hasMessage("invalid file name 'dir/a\\u0000b': contains control character U+0000 at index 5");
        assertThatThrownBy(() -> FileNames.check("a/../b"))
                .hasMessageStartingWith("invalid file name 'a/../b': has segment '..'");
    }

    @Test
    void errorShortensAVeryLongName() {
        assertThatThrownBy(() -> FileNames.check("x".repeat(5000)))
                .hasMessageContaining("x".repeat(100) + "... (5000 characters)")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300));
    }

    @Test
    void refusesNull() {
        assertThat(FileNames.isValid(null)).isFalse();
        assertThatThrownBy(() -> FileNames.check(null)).hasMessage("invalid file name null: a name is required");
    }

    /**
     * The point of the rules: whatever a valid name is, resolving it under an output folder stays
     * strictly inside that folder and keeps every segment (nothing collapses or climbs out).
     */
    @Test
    void noValidNameResolvesOutsideTheOutputFolder(@TempDir Path out) {
        long seed = new Random().nextLong();
        System.out.println("noValidNameResolvesOutsideTheOutputFolder seed=" + seed);
        Random random = new Random(seed);
        char[] alphabet = {'a', '.', '.', '/', '/', ' ', '\\', ':', '~', '\u0000', 'é'};
        int valid = 0;
        for (int n = 0; n < 50_000; n++) {
            StringBuilder name = new StringBuilder();
            int length = 1 + random.nextInt(8);
            for (int i = 0; i < length; i++) {
                name.append(alphabet[random.nextInt(alphabet.length)]);
            }
            String candidate = name.toString();
            if (!FileNames.isValid(candidate)) {
                continue;
            }
            valid++;
            Path resolved;
            try {
                resolved = out.resolve(candidate).normalize();
            } catch (InvalidPathException e) {
                continue; // a name this platform cannot create cannot escape either (Windows: "a ")
            }
            assertThat(resolved.startsWith(out)).as("seed %d name '%s'", seed, candidate).isTrue();
            assertThat(resolved.getNameCount())
                    .as("seed %d name '%s'", seed, candidate)
                    .isEqualTo(out.getNameCount() + candidate.split("/").length);
        }
        assertThat(valid).as("the generator must produce valid names too").isGreaterThan(1000);
    }

    @Test
    void lengthIsCountedInUtf8BytesNotCharacters() {
        String name = "日".repeat(342); // 342 characters, 1026 bytes
        assertThat(name.getBytes(StandardCharsets.UTF_8)).hasSize(1026);
        assertThat(FileNames.isValid(name)).isFalse();
    }
}
