package dfs.master.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lock between two master processes, with a real second JVM. */
class MetadataLockTest {
    @Test
    void anotherProcessCannotOpenTheFileWhileOneHasItOpen(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("metadata_uploaded.json");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                HoldLockMain.class.getName(), file.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            BufferedReader out = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String ready = CompletableFuture.supplyAsync(() -> {
                try {
                    String line;
                    while ((line = out.readLine()) != null && !line.startsWith("open ")) {
                        // skip the child's log lines
                    }
                    return line;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).get(60, TimeUnit.SECONDS);
            assertThat(ready).isEqualTo("open 0");

            assertThatThrownBy(() -> MetadataStore.open(file))
                    .isInstanceOf(MetadataInUseException.class)
                    .hasMessageContaining("is in use by another dfs master");

            child.getOutputStream().close(); // lets the child close its store and exit
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).isZero();
            try (MetadataStore store = MetadataStore.open(file)) {
                assertThat(store.size()).isZero();
            }
        } finally {
            child.destroyForcibly();
        }
    }
}
