package dfs.master.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console on a terminal under Java 22 or later, which the launcher picks when installed: its
 * line editor loads a native library, and Java warns of that on the terminal unless the jar allows
 * it. Runs the real jar on a pseudo-terminal ({@code script}) with a one-server local cluster on
 * 127.0.0.1; skipped where no such Java is installed in /usr/lib/jvm, or no {@code script}.
 */
class NewerJavaConsoleIT {
    private static final Pattern VERSION = Pattern.compile("^JAVA_VERSION=\"(\\d+)[^\"]*\"", Pattern.MULTILINE);

    @TempDir
    Path tmp;

    @Test
    void theConsoleStartsOnATerminalWithoutWarnings() throws Exception {
        Optional<Path> java = installedJava(22);
        assumeTrue(java.isPresent(), "no Java 22 or later in /usr/lib/jvm");
        assumeTrue(onPath("script"), "no 'script' (util-linux) to give the console a terminal");
        Path in = Files.writeString(tmp.resolve("in.txt"), "exit\n");
        Path out = tmp.resolve("out.txt");
        String command = "'" + java.get() + "' -Xmx256m -jar '" + DfsProcess.JAR + "' local --servers 1 --dir '"
                + tmp.resolve("local") + "'";
        Process p = new ProcessBuilder("script", "-qfec", command, "/dev/null").directory(tmp.toFile())
                .redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectErrorStream(true).start();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the console did not finish in 2 minutes:\n" + Files.readString(out));
        }
        String printed = Files.readString(out, StandardCharsets.UTF_8);

        assertEquals(0, p.exitValue(), printed);
        assertTrue(printed.contains("dfs console: 'help' lists the commands"), printed);
        assertFalse(printed.contains("WARNING"), printed);
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, program)));
    }

    /** The java of a JDK in /usr/lib/jvm whose release file names version {@code atLeast} or later. */
    private static Optional<Path> installedJava(int atLeast) throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (Stream<Path> jdks = Files.list(jvms)) {
            return jdks.filter(jdk -> major(jdk) >= atLeast)
                    .map(jdk -> jdk.resolve("bin/java"))
                    .filter(Files::isExecutable)
                    .findFirst();
        }
    }

    private static int major(Path jdk) {
        try {
            Matcher m = VERSION.matcher(Files.readString(jdk.resolve("release")));
            return m.find() ? Integer.parseInt(m.group(1)) : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
