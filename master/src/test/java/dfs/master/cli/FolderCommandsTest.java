package dfs.master.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dfs.common.config.DfsConfig;
import dfs.common.crypto.MasterKey;
import dfs.common.tls.ClusterTls;
import dfs.master.Master;
import dfs.master.discovery.Discoveries;
import dfs.master.metadata.FileRecord;
import dfs.master.testing.TestCluster;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The {@code upload}, {@code download}, {@code list}, {@code delete} and {@code rename} commands
 * given a folder (and {@code rename} given a file), as the console runs them.
 */
class FolderCommandsTest {
    @TempDir
    Path dir;
    TestCluster cluster;
    Master master;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    CommandLine commands;

    @BeforeEach
    void start() throws IOException {
        cluster = TestCluster.start(dir.resolve("servers"), 3);
        DfsConfig config = cluster.masterConfig(dir, Map.of());
        ClusterTls tls = ClusterTls.create(cluster.secret(), "dfs-master", Set.of());
        master = Master.start(config, MasterKey.generate(), Discoveries.fromConfig(config, tls), tls);
        master.awaitServers(cluster.size(), config.discoveryTimeout());
        Session session = new Session() {
            @Override
            public <T> T with(ConfigOption option, boolean needsServers, Check check, MasterAction<T> action)
                    throws IOException {
                check.run(master);
                return action.run(master);
            }

            @Override
            public boolean terminal() {
                return false;
            }

            @Override
            public PrintWriter out() {
                return new PrintWriter(out, true);
            }

            @Override
            public PrintWriter err() {
                return new PrintWriter(err, true);
            }
        };
        commands = DfsCommand.configure(new CommandLine(new Root()));
        FileCommands.addTo(commands, session);
        commands.setOut(new PrintWriter(out, true));
        commands.setErr(new PrintWriter(err, true));
    }

    @AfterEach
    void stop() throws IOException {
        master.close();
        cluster.close();
    }

    @CommandLine.Command(name = "")
    static final class Root implements Runnable {
        @Override
        public void run() {}
    }

    private int run(String... args) {
        return commands.execute(args);
    }

    private Path tree() throws IOException {
        Path docs = dir.resolve("docs");
        Files.createDirectories(docs.resolve("sub"));
        Files.writeString(docs.resolve("one.txt"), "one");
        Files.writeString(docs.resolve("sub/two.txt"), "two two");
        return docs;
    }

    @Test
    void uploadingAFolderStoresEveryFileAndPrintsOneSummaryLine() throws IOException {
        assertThat(run("upload", tree().toString())).as(err.toString()).isZero();
        assertThat(master.list()).extracting(FileRecord::name).containsExactlyInAnyOrder("docs/one.txt", "docs/sub/two.txt");
        assertThat(out.toString().lines()).singleElement().asString()
                .startsWith("uploaded folder").contains("as docs/").contains("2 files").contains("10 B")
                .containsPattern("\\(\\d+\\.\\d files/s, \\d+\\.\\d MiB/s\\)$");
    }

    @Test
    void uploadingAFolderWithAsUsesThePrefix() throws IOException {
        assertThat(run("upload", tree().toString(), "--as", "archive/2024/")).as(err.toString()).isZero();
        assertThat(master.list()).extracting(FileRecord::name)
                .containsExactlyInAnyOrder("archive/2024/one.txt", "archive/2024/sub/two.txt");
    }

    @Test
    void downloadingANameEndingInSlashFetchesTheFolder() throws IOException {
        run("upload", tree().toString());
        out.getBuffer().setLength(0);
        Path dest = dir.resolve("back");
        assertThat(run("download", "docs/", dest.toString())).as(err.toString()).isZero();
        assertThat(Files.readString(dest.resolve("docs/one.txt"))).isEqualTo("one");
        assertThat(Files.readString(dest.resolve("docs/sub/two.txt"))).isEqualTo("two two");
        assertThat(out.toString().lines()).singleElement().asString()
                .startsWith("downloaded folder docs/").contains("2 files").contains("verified")
                .containsPattern("\\(\\d+\\.\\d files/s, \\d+\\.\\d MiB/s\\)$");
    }

    @Test
    void downloadingAFolderNameWithoutSlashFetchesTheFolder() throws IOException {
        run("upload", tree().toString());
        Path dest = dir.resolve("back");
        assertThat(run("download", "docs/sub", dest.toString())).as(err.toString()).isZero();
        assertThat(Files.readString(dest.resolve("docs/sub/two.txt"))).isEqualTo("two two");
        assertThat(dest.resolve("docs/one.txt")).doesNotExist();
    }

    @Test
    void aFolderDownloadIntoAFileIsRefused() throws IOException {
        run("upload", tree().toString());
        Path file = Files.writeString(dir.resolve("plain"), "x");
        assertThat(run("download", "docs/", file.toString())).isEqualTo(ExitCodes.FAILED);
        assertThat(err.toString()).contains(file.toString()).contains("is a file");
    }

    @Test
    void listingAFolderShowsOnlyTheFilesUnderIt() throws IOException {
        run("upload", tree().toString());
        run("upload", tree().toString(), "--as", "archive");
        out.getBuffer().setLength(0);

        assertThat(run("list", "docs/sub")).as(err.toString()).isZero();

        assertThat(out.toString().lines()).hasSize(3).element(1).asString().startsWith("docs/sub/two.txt ");
        assertThat(out.toString()).endsWith("1 file, 7 B" + System.lineSeparator());
    }

    @Test
    void listingANameNothingIsStoredUnderSaysSo() throws IOException {
        run("upload", tree().toString());
        out.getBuffer().setLength(0);

        assertThat(run("list", "doc")).isEqualTo(ExitCodes.FAILED);

        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).startsWith("dfs: doc: no stored file by this name or under it");
    }

    @Test
    void deletingANameEndingInSlashDeletesTheFolderAndNothingElse() throws IOException {
        run("upload", tree().toString());
        run("upload", tree().toString(), "--as", "docs2"); // its name starts as the folder's does
        out.getBuffer().setLength(0);

        assertThat(run("delete", "docs/")).as(err.toString()).isZero();

        assertThat(out.toString().lines()).singleElement().asString()
                .matches("deleted folder docs/: 2 files, 10 B, \\d+\\.\\d\\d s");
        assertThat(master.list()).extracting(FileRecord::name).containsExactlyInAnyOrder("docs2/one.txt", "docs2/sub/two.txt");
        assertThat(cluster.allChunkFiles()).as("the two copies of the one chunk of each file left").hasSize(4);
    }

    @Test
    void deletingAFolderByItsNameAloneIsRefusedWithTheWayToDoIt() throws IOException {
        run("upload", tree().toString());

        assertThat(run("delete", "docs")).isEqualTo(ExitCodes.FAILED);

        assertThat(err.toString()).startsWith(
                "dfs: docs: is a folder of 2 stored files, not a file; 'delete docs/' deletes them all");
        assertThat(master.list()).hasSize(2);
        assertThat(cluster.allChunkFiles()).hasSize(4);
    }

    @Test
    void deletingAFolderNothingIsStoredUnderSaysSo() throws IOException {
        run("upload", tree().toString());

        assertThat(run("delete", "doc/")).isEqualTo(ExitCodes.FAILED);

        assertThat(err.toString()).startsWith("dfs: doc/: no stored file under this folder");
        assertThat(master.list()).hasSize(2);
    }

    @Test
    void renamingAFileKeepsItsBytesAndItsChunksUnderTheNewNameOnly() throws IOException {
        Path notes = Files.writeString(dir.resolve("notes.txt"), "meeting notes");
        run("upload", notes.toString());
        Set<Path> chunks = Set.copyOf(cluster.allChunkFiles());
        out.getBuffer().setLength(0);

        assertThat(run("rename", "notes.txt", "archive/2024/notes.txt")).as(err.toString()).isZero();

        assertThat(out.toString()).isEqualTo("renamed notes.txt to archive/2024/notes.txt\n");
        assertThat(master.list()).extracting(FileRecord::name).containsExactly("archive/2024/notes.txt");
        assertThat(cluster.allChunkFiles()).as("no chunk moved").containsExactlyInAnyOrderElementsOf(chunks);
        assertThat(run("download", "archive/2024/notes.txt", dir.resolve("back.txt").toString())).as(err.toString()).isZero();
        assertThat(Files.readString(dir.resolve("back.txt"))).isEqualTo("meeting notes");
        assertThat(run("download", "notes.txt", dir.resolve("old.txt").toString())).isEqualTo(ExitCodes.FAILED);
    }

    @Test
    void renamingOntoAStoredNameIsRefusedAndChangesNothing() throws IOException {
        run("upload", tree().toString());

        assertThat(run("mv", "docs/one.txt", "docs/sub/two.txt")).isEqualTo(ExitCodes.FAILED);

        assertThat(err.toString()).isEqualTo("dfs: docs/sub/two.txt: a file of this name is stored already; delete it"
                + " first or choose another name\n");
        assertThat(master.list()).extracting(FileRecord::name).containsExactly("docs/one.txt", "docs/sub/two.txt");
    }

    @Test
    void renamingAFolderMovesEveryFileUnderItAndNothingElse() throws IOException {
        run("upload", tree().toString());
        run("upload", tree().toString(), "--as", "docs2");
        out.getBuffer().setLength(0);

        assertThat(run("rename", "docs/", "papers/2024/")).as(err.toString()).isZero();

        assertThat(out.toString()).isEqualTo("renamed folder docs/ to papers/2024/: 2 files\n");
        assertThat(master.list()).extracting(FileRecord::name).containsExactly("docs2/one.txt", "docs2/sub/two.txt",
                "papers/2024/one.txt", "papers/2024/sub/two.txt");
        assertThat(run("download", "papers/2024/sub/two.txt", dir.resolve("two.txt").toString())).isZero();
        assertThat(Files.readString(dir.resolve("two.txt"))).isEqualTo("two two");
    }

    @Test
    void aFolderRenameWithOneNameTakenMovesNoFile() throws IOException {
        run("upload", tree().toString());
        run("upload", dir.resolve("docs/sub/two.txt").toString(), "--as", "papers/sub/two.txt");

        assertThat(run("rename", "docs/", "papers/")).isEqualTo(ExitCodes.FAILED);

        assertThat(err.toString()).startsWith("dfs: papers/sub/two.txt: a file of this name is stored already");
        assertThat(master.list()).extracting(FileRecord::name).containsExactly("docs/one.txt", "docs/sub/two.txt",
                "papers/sub/two.txt");
    }

    @Test
    void aFolderNamedAsAFileOrAFileAsAFolderIsRefusedWithTheWayToDoIt() throws IOException {
        run("upload", tree().toString());

        assertThat(run("rename", "docs", "papers")).isEqualTo(ExitCodes.FAILED);
        assertThat(err.toString()).startsWith(
                "dfs: docs: is a folder of 2 stored files, not a file; 'rename docs/ papers/' renames them all");
        err.getBuffer().setLength(0);

        assertThat(run("rename", "docs/", "papers")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).startsWith("dfs: rename a folder to a folder ('docs/' and 'papers' must both end in"
                + " '/') or a file to a file (neither does)");
        assertThat(master.list()).extracting(FileRecord::name).containsExactly("docs/one.txt", "docs/sub/two.txt");
    }
}
