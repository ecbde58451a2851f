package dfs.master.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code dfs} launcher refuses a missing or too old Java with one line and exit code 2, before
 * it builds or starts anything; without JAVA_HOME it runs the newest Java it finds; and it keeps
 * one class data archive per Java it runs; commands that move no file data run with Java's quick
 * compiler alone. Runs the real script against stand-in JDK folders
 * whose {@code bin/java} only leaves a mark that it ran.
 */
class LauncherJavaCheckTest {
    private static final Path LAUNCHER = Path.of(System.getProperty("user.dir")).getParent().resolve("dfs");

    @TempDir
    Path tmp;

    private record Outcome(int exit, String out, String err) {}

    @Test
    void javaElevenIsRefusedWithItsVersionAndNeverStarted() throws Exception {
        Path jdk = fakeJdk(tmp, "11.0.22");

        Outcome o = launch(jdk, "--version");

        assertEquals(2, o.exit(), o.toString());
        assertEquals("", o.out());
        assertEquals("dfs: " + jdk.resolve("bin/java").toRealPath() + " is Java 11.0.22; dfs needs Java 17 or later:"
                + " install it, or set JAVA_HOME to one\n", o.err());
        assertFalse(Files.exists(jdk.resolve("ran")), "the old java was started");
    }

    @Test
    void javaEightIsReadFromItsOldVersionScheme() throws Exception {
        Path jdk = fakeJdk(tmp, "1.8.0_392");

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

    @Test
    void eachJavaGetsItsOwnClassArchiveAndKeepsIt() throws Exception {
        Path launcher = installedLauncher();
        Path seventeen = recordingJdk(tmp, "17.0.15");
        Path twentyFive = recordingJdk(tmp, "25.0.1");

        assertEquals(0, launch(launcher, seventeen, "--version").exit());
        assertEquals(0, launch(launcher, twentyFive, "--version").exit());
        assertEquals(0, launch(launcher, seventeen, "status").exit());

        List<String> first = Files.readAllLines(seventeen.resolve("calls"));
        List<String> second = Files.readAllLines(twentyFive.resolve("calls"));
        // a training run, a check that the new archive is taken, the command; then only the command
        assertEquals(4, first.size(), first.toString());
        assertEquals(3, second.size(), second.toString());
        String archive17 = archiveOf(first.get(2));
        String archive25 = archiveOf(second.get(2));
        assertFalse(archive17.equals(archive25), "one archive for two Javas: " + archive17);
        assertTrue(first.get(0).contains("-XX:ArchiveClassesAtExit="), first.get(0));
        assertEquals(archive17, archiveOf(first.get(3)), "Java 17 lost its archive to Java 25's");
        assertTrue(first.get(3).endsWith("-jar " + launcher.resolveSibling("master/target/dfs.jar") + " status"), first.get(3));
        assertTrue(Files.isRegularFile(Path.of(archive17)) && Files.isRegularFile(Path.of(archive25)));
    }

    @Test
    void withoutJavaHomeTheNewestInstalledJavaRuns() throws Exception {
        Path launcher = installedLauncher();
        Path onPath = recordingJdk(tmp, "17.0.15");
        Path installed = Files.createDirectories(tmp.resolve("jvm"));
        Path twentyOne = recordingJdk(installed, "21.0.5");
        Path twentyFive = recordingJdk(installed, "25.0.1");
        fakeJdk(installed, "11.0.22");

        Outcome o = launch(launcher, withoutJavaHome(onPath, installed), "--version");

        assertEquals(0, o.exit(), o.toString());
        List<String> calls = Files.readAllLines(twentyFive.resolve("calls"));
        assertTrue(calls.get(calls.size() - 1).endsWith(" --version"), calls.toString());
        assertFalse(Files.exists(twentyOne.resolve("calls")), "Java 21 ran");
        assertFalse(Files.exists(onPath.resolve("calls")), "the java on PATH ran");
    }

    @Test
    void theJavaOnPathWinsATieAndJavaHomeWinsOverAll() throws Exception {
        Path launcher = installedLauncher();
        Path onPath = recordingJdk(tmp, "25.0.1");
        Path installed = Files.createDirectories(tmp.resolve("jvm"));
        Path alsoTwentyFive = recordingJdk(installed, "25.0.2");
        Path seventeen = recordingJdk(installed, "17.0.15");

        assertEquals(0, launch(launcher, withoutJavaHome(onPath, installed), "--version").exit());
        assertTrue(Files.exists(onPath.resolve("calls")), "the java on PATH did not run");
        assertFalse(Files.exists(alsoTwentyFive.resolve("calls")), "a Java of the same major ran instead");

        Map<String, String> env = withoutJavaHome(onPath, installed);
        env.put("JAVA_HOME", seventeen.toString());
        assertEquals(0, launch(launcher, env, "status").exit());
        List<String> calls = Files.readAllLines(seventeen.resolve("calls"));
        assertTrue(calls.get(calls.size() - 1).endsWith(" status"), "JAVA_HOME's Java did not run: " + calls);
        assertTrue(Files.readAllLines(onPath.resolve("calls")).stream().noneMatch(c -> c.endsWith(" status")),
                "the java on PATH ran despite JAVA_HOME");
    }

    @Test
    void commandsThatMoveNoFileDataRunWithTheQuickCompilerAlone() throws Exception {
        Path launcher = installedLauncher();
        Path jdk = recordingJdk(tmp, "17.0.15");
        List<String> quick = List.of("status", "rename", "mv", "delete", "rm", "drain", "list", "--version");
        List<String> optimising = List.of("upload", "download", "fsck", "recover", "rekey", "master", "local",
                "chunkserver", "bench");

        for (String command : quick) {
            assertEquals(0, launch(launcher, jdk, command).exit());
        }
        for (String command : optimising) {
            assertEquals(0, launch(launcher, jdk, command).exit());
        }

        List<String> commands = Files.readAllLines(jdk.resolve("calls")).stream()
                .filter(call -> !call.contains("-Xshare:on")).toList(); // not the check of a new class archive
        assertEquals(quick.size() + optimising.size() + 1, commands.size(), commands.toString()); // + training run
        for (String call : commands) {
            String command = call.substring(call.lastIndexOf(' ') + 1);
            if (quick.contains(command)) {
                assertTrue(call.contains("-XX:TieredStopAtLevel=1"), call);
            } else if (optimising.contains(command)) {
                assertFalse(call.contains("TieredStopAtLevel"), call);
            }
        }
    }

    /** No JAVA_HOME; {@code jdk}'s java first on PATH; installed Javas looked for in {@code installed}. */
    private static Map<String, String> withoutJavaHome(Path jdk, Path installed) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", jdk.resolve("bin") + ":" + System.getenv("PATH"));
        env.put("DFS_JVM_DIR", installed.toString());
        return env;
    }

    /** The archive a recorded java command line maps. */
    private static String archiveOf(String call) {
        Matcher m = Pattern.compile("-XX:SharedArchiveFile=(\\S+)").matcher(call);
        assertTrue(m.find(), "no archive in: " + call);
        return m.group(1);
    }

    /** A copy of the launcher beside a built jar and no sources, so it neither builds nor finds a reason to. */
    private Path installedLauncher() throws IOException {
        Path home = Files.createDirectories(tmp.resolve("dfs-home"));
        Files.copy(LAUNCHER, home.resolve("dfs"));
        Files.writeString(Files.createDirectories(home.resolve("master/target")).resolve("dfs.jar"), "a jar");
        return home.resolve("dfs");
    }

    /** A JDK in {@code parent} whose bin/java records its arguments, writes the archive it is asked to and succeeds. */
    private static Path recordingJdk(Path parent, String version) throws IOException {
        return fakeJdk(parent, version, "echo \"$*\" >> '" + parent.resolve("jdk-" + version).resolve("calls") + "'\n"
                + "for a in \"$@\"; do case \"$a\" in -XX:ArchiveClassesAtExit=*) : > \"${a#*=}\";; esac; done\n"
                + "exit 0\n");
    }

    /** A JDK folder in {@code parent}: a release file naming {@code version}, and a bin/java that marks it ran. */
    private static Path fakeJdk(Path parent, String version) throws IOException {
        return fakeJdk(parent, version, "touch '" + parent.resolve("jdk-" + version).resolve("ran") + "'\nexit 1\n");
    }

    private static Path fakeJdk(Path parent, String version, String javaScript) throws IOException {
        Path jdk = Files.createDirectories(parent.resolve("jdk-" + version));
        Files.writeString(jdk.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + version + "\"\n");
        Path java = Files.createDirectories(jdk.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\n" + javaScript);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return jdk;
    }

    private Outcome launch(Path javaHome, String... args) throws Exception {
        return launch(LAUNCHER, javaHome, args);
    }

    private Outcome launch(Path launcher, Path javaHome, String... args) throws Exception {
        return launch(launcher, Map.of("JAVA_HOME", javaHome.toString()), args);
    }

    /** Runs the launcher with {@code env} over this process's environment, less JAVA_HOME unless env sets it. */
    private Outcome launch(Path launcher, Map<String, String> env, String... args) throws Exception {
        assertTrue(Files.isRegularFile(launcher), "launcher not found at " + launcher);
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        String[] cmd = new String[args.length + 2];
        cmd[0] = "bash";
        cmd[1] = launcher.toString();
        System.arraycopy(args, 0, cmd, 2, args.length);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove("JAVA_HOME");
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the launcher did not finish in 30 s");
        }
        return new Outcome(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
