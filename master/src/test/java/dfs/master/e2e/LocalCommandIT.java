package dfs.master.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dfs.master.e2e.DfsProcess.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dfs local}, the README's first command, as a new user runs it: the real jar as a process,
 * its own chunk servers on 127.0.0.1, console commands on standard input.
 */
class LocalCommandIT {
    @TempDir
    Path work;

    @Test
    void aLocalClusterStoresAFileByBareNameAndKeepsItForTheNextRun() throws Exception {
        Path state = work.resolve("state");
        byte[] original = new byte[9 * 1024 * 1024 + 123]; // three chunks, the last one short
        new Random(original.length).nextBytes(original);
        Files.write(Files.createDirectories(work.resolve("upload_list")).resolve("photo.bin"), original);

        Result first = DfsProcess.run(work, "upload photo.bin\nlist\nexit\n",
                "local", "--servers", "2", "--dir", state.toString());

        assertThat(first.exit()).as("%s", first).isZero();
        assertThat(first.err()).as("%s", first).contains("2 of 2 chunk servers live on 127.0.0.1")
                .contains("files to upload by bare name go in " + work.resolve("upload_list"))
                .contains("downloads land in " + work.resolve("output"));
        assertThat(first.out()).as("%s", first).contains("photo.bin");
        List<Path> chunks = chunkFiles(state);
        assertThat(chunks).as("three chunks, two copies each").hasSize(6);
        for (Path chunk : chunks) {
            assertThat(containsAnyWindowOf(Files.readAllBytes(chunk), original))
                    .as("%s holds no plaintext", chunk).isFalse();
        }

        Result second = DfsProcess.run(work, "download photo.bin\nexit\n",
                "local", "--servers", "2", "--dir", state.toString());

        assertThat(second.exit()).as("%s", second).isZero();
        assertThat(Files.readAllBytes(work.resolve("output").resolve("photo.bin"))).isEqualTo(original);
    }

    private static List<Path> chunkFiles(Path state) throws IOException {
        try (Stream<Path> files = Files.walk(state)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> state.relativize(p).toString().contains("chunks/")).toList();
        }
    }

    /** True when {@code stored} contains any of 64 sampled 32-byte windows of {@code plain}. */
    private static boolean containsAnyWindowOf(byte[] stored, byte[] plain) {
        for (int sample = 0; sample < 64; sample++) {
            int from = (int) ((long) sample * (plain.length - 32) / 63);
            byte[] window = Arrays.copyOfRange(plain, from, from + 32);
            for (int i = 0; i + window.length <= stored.length; i++) {
                if (stored[i] == window[0] && Arrays.equals(stored, i, i + 32, window, 0, 32)) {
                    return true;
                }
            }
        }
        return false;
    }
}
