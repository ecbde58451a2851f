package dfs.chunkserver.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link RecycledFiles}: deleted files kept empty, handed out again as new ones. */
class RecycledFilesTest {
    @TempDir
    Path root;

    @Test
    void aRecycledFileIsEmptiedAndComesBackUnderItsNewName() throws Exception {
        RecycledFiles free = loaded(4);
        Path chunk = Files.write(root.resolve("chunk"), new byte[5000]);
        Object inode = Files.getAttribute(chunk, "unix:ino");

        assertThat(free.recycle(chunk)).isTrue();

        assertThat(chunk).doesNotExist();
        assertThat(kept()).singleElement().satisfies(f -> assertThat(Files.size(f)).isZero());
        Path write = root.resolve("write.tmp");
        assertThat(free.takeAs(write)).isTrue();
        assertThat(Files.getAttribute(write, "unix:ino")).isEqualTo(inode);
        assertThat(kept()).isEmpty();
        assertThat(free.takeAs(root.resolve("another.tmp"))).as("none left").isFalse();
    }

    @Test
    void recyclingAMissingFileReportsFalseAndKeepsNothing() throws Exception {
        RecycledFiles free = loaded(4);

        assertThat(free.recycle(root.resolve("absent"))).isFalse();

        assertThat(free.size()).isZero();
        assertThat(kept()).isEmpty();
    }

    @Test
    void aFreeFolderRemovedWhileRunningStillLetsFilesBeDeletedAndIsMadeAgain() throws Exception {
        RecycledFiles free = loaded(4);
        free.recycle(Files.write(root.resolve("a"), new byte[10]));
        Files.delete(root.resolve("free/0"));
        Files.delete(root.resolve("free")); // someone took free/ for junk

        assertThat(free.recycle(Files.write(root.resolve("b"), new byte[10]))).as("b was there").isTrue();

        assertThat(root.resolve("b")).as("deleted, as without reuse").doesNotExist();
        assertThat(root.resolve("free")).isDirectory();
        assertThat(free.takeAs(root.resolve("write.tmp"))).as("a's file is gone with the folder").isFalse();
        assertThat(free.recycle(Files.write(root.resolve("c"), new byte[10]))).isTrue();
        assertThat(free.takeAs(root.resolve("write.tmp"))).as("kept again").isTrue();
    }

    @Test
    void keptFilesRemovedByHandAreSkipped() throws Exception {
        RecycledFiles free = loaded(4);
        free.recycle(Files.write(root.resolve("a"), new byte[10]));
        free.recycle(Files.write(root.resolve("b"), new byte[10]));
        Files.delete(root.resolve("free/1"));

        assertThat(free.takeAs(root.resolve("write.tmp"))).isTrue();
        assertThat(free.takeAs(root.resolve("other.tmp"))).isFalse();
    }

    @Test
    void aTargetFolderThatIsMissingFailsTheTakeAndKeepsTheFile() throws Exception {
        RecycledFiles free = loaded(4);
        free.recycle(Files.write(root.resolve("a"), new byte[10]));

        assertThatThrownBy(() -> free.takeAs(root.resolve("no-such-folder/write.tmp")))
                .isInstanceOf(NoSuchFileException.class);

        assertThat(free.size()).isEqualTo(1);
        assertThat(free.takeAs(root.resolve("write.tmp"))).isTrue();
    }

    @Test
    void beyondTheMostKeptAFileIsDeleted() throws Exception {
        RecycledFiles free = loaded(2);

        for (int i = 0; i < 3; i++) {
            assertThat(free.recycle(Files.write(root.resolve("f" + i), new byte[10]))).isTrue();
        }

        assertThat(free.size()).isEqualTo(2);
        assertThat(kept()).hasSize(2);
        assertThat(root.resolve("f2")).doesNotExist();
    }

    @Test
    void aReloadTakesInTheKeptFilesAndRemovesAnythingElse() throws Exception {
        RecycledFiles first = loaded(4);
        first.recycle(Files.write(root.resolve("a"), new byte[10]));
        first.recycle(Files.write(root.resolve("b"), new byte[10]));
        Files.writeString(root.resolve("free/notes.txt"), "not ours");
        Files.writeString(Files.createDirectories(root.resolve("free/99")).resolve("inside"), "someone's");

        RecycledFiles second = loaded(4);

        assertThat(second.size()).isEqualTo(2);
        assertThat(root.resolve("free/notes.txt")).doesNotExist();
        assertThat(root.resolve("free/99/inside")).as("a folder is left alone").exists();
        second.recycle(Files.write(root.resolve("c"), new byte[10])); // numbered after the two kept
        assertThat(kept()).hasSize(4); // three files and the folder
        assertThat(root.resolve("free/99/inside")).as("never a name to move a file onto").exists();
    }

    private RecycledFiles loaded(int maxFiles) throws Exception {
        RecycledFiles free = new RecycledFiles(root.resolve("free"), maxFiles);
        free.load();
        return free;
    }

    private List<Path> kept() throws Exception {
        try (Stream<Path> files = Files.list(root.resolve("free"))) {
            return files.toList();
        }
    }
}
