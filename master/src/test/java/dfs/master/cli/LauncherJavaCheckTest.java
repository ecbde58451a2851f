package dfs.master.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code dfs} launcher refuses a missing or too old Java with one line and exit code 2, before
 * it builds or starts anything. Runs the real script against stand-in JDK folders whose
 * {@code bin/java} only leaves a mark that it ran.
 */
class LauncherJavaCheckTest {
    private static final Path LAUNCHER = Path.of(System.getProperty("user.dir")).getParent().resolve("dfs");

    @TempDir
    Path tmp;

    private record Outcome(int exit, String out, String err) {}

    @Test
    void javaElevenIsRefusedWithItsVersionAndNeverStarted() throws Exception {
        Path jdk = fakeJdk("11.0.22");

        Outcome o = launch(jdk, "--version");

        assertEquals(2, o.exit(), o.toString());
        assertEquals("", o.out());
        assertEquals("dfs: " + jdk.resolve("bin/java").toRealPath() + " is Java 11.0.22; dfs needs Java 17 or later:"
                + " install it, or set JAVA_HOME to one\n", o.err());
        assertFalse(Files.exists(jdk.resolve("ran")), "the old java was started");
    }

    @Test
    void javaEightIsReadFromItsOldVersionScheme() throws Exception {
        Path jdk = fakeJdk("1.8.0_392");

        Outcome o = launch(jdk, "status");

        assertEquals(2, o.exit(), o.toString());
        assertTrue(o.err().contains("is Java 1.8.0_392; dfs needs Java 17 or later"), o.err());
        assertFalse(Files.exists(jdk.resolve("ran")));
    }

    @Test
    void aJavaHomeWithoutJavaIsNamed() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("no-jdk"));

        Outcome o = launch(empty, "list");

        assertEquals(2, o.exit(), o.toString());
        assertEquals(1, o.err().lines().count(), o.err());
        assertTrue(o.err().startsWith("dfs: Java 17 or later is needed and no " + empty.resolve("bin/java")
                + " was found; install it"), o.err());
    }

    /** A JDK folder: a release file naming {@code version}, and a bin/java that marks it ran. */
    private Path fakeJdk(String version) throws IOException {
        Path jdk = Files.createDirectories(tmp.resolve("jdk-" + version));
        Files.writeString(jdk.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + version + "\"\n");
        Path java = Files.createDirectories(jdk.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\ntouch '" + jdk.resolve("ran") + "'\nexit 1\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return jdk;
    }

    private Outcome launch(Path javaHome, String... args) throws Exception {
        assertTrue(Files.isRegularFile(LAUNCHER), "launcher not found at " + LAUNCHER);
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        String[] cmd = new String[args.length + 2];
        cmd[0] = "bash";
        cmd[1] = LAUNCHER.toString();
        System.arraycopy(args, 0, cmd, 2, args.length);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("JAVA_HOME", javaHome.toString());
        Process p = pb.start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the launcher did not finish in 30 s");
        }
        return new Outcome(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
