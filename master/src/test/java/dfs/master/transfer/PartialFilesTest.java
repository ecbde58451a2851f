package dfs.master.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What becomes of the hidden files downloads are written into, when the program stops. */
class PartialFilesTest {
    @TempDir
    Path dir;

    @Test
    void aPartialFileIsHiddenNamedAfterItsFileAndMadeAsAnyNewFile() throws Exception {
        Path partial = PartialFiles.create(dir, "movie.mkv");
        PartialFiles.release(partial);

        assertThat(partial.getFileName().toString()).startsWith(".movie.mkv.").endsWith(".partial");
        assertThat(partial).isEmptyFile();
        Path plain = Files.createFile(dir.resolve("made-here"));
        assertThat(Files.getPosixFilePermissions(partial)).isEqualTo(Files.getPosixFilePermissions(plain));
    }

    @Test
    void twoDownloadsOfOneNameGetTwoFiles() throws Exception {
        Path one = PartialFiles.create(dir, "a.txt");
        Path two = PartialFiles.create(dir, "a.txt");
        PartialFiles.release(one);
        PartialFiles.release(two);

        assertThat(one).isNotEqualTo(two).exists();
        assertThat(two).exists();
    }

    @Test
    void atExitThePartialFilesStillBeingWrittenAreDeletedAndNoOthers() throws Exception {
        Path interrupted = PartialFiles.create(dir, "big.iso");
        Files.writeString(interrupted, "the first chunks");
        Path finished = PartialFiles.create(dir, "small.txt");
        PartialFiles.release(finished); // as a download does once it renamed (or deleted) its file

        PartialFiles.deleteInProgress();

        assertThat(interrupted).doesNotExist();
        assertThat(finished).exists();
    }
}
