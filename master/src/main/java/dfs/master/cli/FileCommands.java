package dfs.master.cli;

import dfs.common.config.DfsConfig;
import dfs.master.ClusterStatus;
import dfs.master.backup.MetadataCopies;
import dfs.master.Master;
import dfs.master.cluster.ServerStatus;
import dfs.master.discovery.RejectedAnnouncement;
import dfs.master.metadata.FileNames;
import dfs.master.metadata.FileRecord;
import dfs.master.metadata.FileSummary;
import dfs.master.placement.ReplicaPlacement;
import dfs.master.repair.DrainReport;
import dfs.master.repair.FsckReport;
import dfs.master.repair.HealingStatus;
import dfs.master.repair.RepairOutcome;
import dfs.master.transfer.BadReplica;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The file commands — upload, download, list, delete, rename, status, fsck — written once and
 * offered both in the console and as one-shot {@code ./dfs} subcommands. Results go to stdout,
 * progress and errors to stderr.
 */
final class FileCommands {
    private FileCommands() {}

    /** Every file command, bound to {@code session}, in the order help lists them. */
    static List<FileCommand> all(Session session) {
        return List.of(new Upload(session), new Download(session), new ListFiles(session), new Delete(session),
                new Rename(session), new Status(session), new Fsck(session), new Drain(session),
                new RekeyCommand(session), new RecoverCommand(session));
    }

    /** Adds every file command to {@code parent}. */
    static void addTo(CommandLine parent, Session session) {
        all(session).forEach(parent::addSubcommand);
    }

    /** What every file command has: the session and {@code --config}. */
    abstract static class FileCommand implements Callable<Integer> {
        final Session session;

        @Mixin
        ConfigOption config;

        FileCommand(Session session) {
            this.session = session;
        }

        PrintWriter out() {
            return session.out();
        }
    }

    @Command(name = "upload", mixinStandardHelpOptions = true,
            description = {"Encrypt FILE, split it into chunks and store each chunk on replication_factor servers."
                    + " A bare file name not found as given is looked up in upload_dir.",
                "A folder uploads every regular file under it, as FOLDER/<relative path> (or PREFIX/<relative path>"
                    + " with --as); symbolic links are skipped."})
    static final class Upload extends FileCommand {
        @Parameters(paramLabel = "FILE", description = "the file or folder to upload")
        String file;

        @Option(names = "--as", paramLabel = "NAME",
                description = "name to store it under (default: the file's name); for a folder, the prefix of every name")
        String as;

        Upload(Session session) {
            super(session);
        }

        @Override
        public Integer call() throws IOException {
            return session.with(config, true, this::check, master -> {
                Path source = resolveSource(master.config(), file);
                if (Files.isDirectory(source)) {
                    return uploadFolder(master, source);
                }
                String name = name(source);
                boolean replacing = master.file(name).isPresent();
                long t0 = System.nanoTime();
                FileRecord r = master.upload(source, name, ProgressReporter.forStderr(session));
                long took = System.nanoTime() - t0;
                out().printf("uploaded %s%s: %s in %d chunk%s, %d copies each, %s (%s)%n", r.name(),
                        replacing ? " (replacing the file stored under that name)" : "", Units.bytes(r.size()),
                        r.chunkCount(), r.chunkCount() == 1 ? "" : "s", master.config().replicationFactor(),
                        Units.seconds(took), Units.rate(r.size(), took));
                return ExitCodes.OK;
            });
        }

        /** The file exists, and its stored name is one dfs allows. */
        private void check(Master master) throws IOException {
            Path source = resolveSource(master.config(), file);
            if (!Files.isDirectory(source)) {
                FileNames.check(name(source));
            }
        }

        private String name(Path source) {
            return as != null ? as : source.getFileName().toString();
        }

        private int uploadFolder(Master master, Path folder) throws IOException {
            String prefix = as != null ? stripTrailingSlashes(as) : folderName(folder);
            long t0 = System.nanoTime();
            Master.FolderTransfer t = master.uploadFolder(folder, prefix, ProgressReporter.forStderr(session));
            long took = System.nanoTime() - t0;
            out().printf("uploaded folder %s as %s/: %d file%s, %s, %s (%s)%n", folder, prefix, t.files().size(),
                    t.files().size() == 1 ? "" : "s", Units.bytes(t.bytes()), Units.seconds(took),
                    Units.folderRate(t.files().size(), t.bytes(), took));
            return ExitCodes.OK;
        }

        private static String folderName(Path folder) {
            Path name = folder.toAbsolutePath().normalize().getFileName();
            if (name == null) {
                throw new IllegalArgumentException(folder + " has no name to store its files under; give one with --as PREFIX");
            }
            return name.toString();
        }

        private static String stripTrailingSlashes(String prefix) {
            String p = prefix;
            while (p.endsWith("/")) {
                p = p.substring(0, p.length() - 1);
            }
            return p;
        }
    }

    @Command(name = "download", mixinStandardHelpOptions = true,
            description = {"Fetch, verify and decrypt NAME into DEST (default: output_dir/NAME)."
                    + " The file appears only once complete and verified.",
                "NAME ending in '/', or a folder of stored names such as photos for photos/a.jpg, downloads every file"
                    + " under it to DEST/<its name> (DEST: a folder, default output_dir)."})
    static final class Download extends FileCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "stored file name (see list), or a folder of them")
        String name;

        @Parameters(index = "1", arity = "0..1", paramLabel = "DEST", description = "file or existing folder")
        Path dest;

        Download(Session session) {
            super(session);
        }

        @Override
        public Integer call() throws IOException {
            return session.with(config, true, this::check, master -> {
                if (isFolder(master)) {
                    return downloadFolder(master, prefix());
                }
                Path target = destination(master.config(), name, dest);
                long t0 = System.nanoTime();
                List<BadReplica> bad = master.download(name, target, ProgressReporter.forStderr(session));
                long took = System.nanoTime() - t0;
                long size = Files.size(target);
                out().printf("downloaded %s to %s: %s, verified, %s (%s)%n", name, target, Units.bytes(size),
                        Units.seconds(took), Units.rate(size, took));
                noteBad(bad);
                return ExitCodes.OK;
            });
        }

        /** NAME is stored, as a file or as a folder, and can be written where asked. */
        private void check(Master master) throws IOException {
            if (isFolder(master)) {
                master.requireUnder(prefix());
                folderRoot(master);
            } else {
                master.require(name);
                destination(master.config(), name, dest);
            }
        }

        /** NAME ends in '/', or is no stored file but the folder of some. */
        private boolean isFolder(Master master) {
            return name.endsWith("/") || master.file(name).isEmpty() && FileNames.isValid(name)
                    && !master.filesUnder(name).isEmpty();
        }

        private String prefix() {
            return name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        }

        private Path folderRoot(Master master) throws FileAlreadyExistsException {
            Path root = dest != null ? dest : master.config().outputDir();
            if (Files.exists(root) && !Files.isDirectory(root)) {
                throw new FileAlreadyExistsException(root.toString(), null,
                        "is a file; a folder download needs a folder to write into");
            }
            return root;
        }

        private int downloadFolder(Master master, String prefix) throws IOException {
            Path root = folderRoot(master);
            long t0 = System.nanoTime();
            Master.FolderTransfer t = master.downloadFolder(prefix, root, ProgressReporter.forStderr(session));
            long took = System.nanoTime() - t0;
            out().printf("downloaded folder %s/ to %s: %d file%s, %s, verified, %s (%s)%n", prefix, root,
                    t.files().size(), t.files().size() == 1 ? "" : "s", Units.bytes(t.bytes()), Units.seconds(took),
                    Units.folderRate(t.files().size(), t.bytes(), took));
            noteBad(t.badReplicas());
            return ExitCodes.OK;
        }

        private void noteBad(List<BadReplica> bad) {
            for (BadReplica b : bad) {
                session.err().printf("note: replica of chunk %d of %s on node %s was %s: %s%n", b.index(), b.file(),
                        b.node(), b.corrupt() ? "corrupt" : "unavailable", b.reason());
            }
        }
    }

    @Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true,
            description = "List the stored files: all of them, or NAME and every file under NAME/.")
    static final class ListFiles extends FileCommand {
        @Parameters(arity = "0..1", paramLabel = "NAME",
                description = "a stored file, or a folder of them such as photos for photos/a.jpg (default: every file)")
        String name;

        ListFiles(Session session) {
            super(session);
        }

        @Override
        public Integer call() throws IOException {
            return session.withFiles(config, files -> {
                List<FileSummary> shown = name == null ? files : Listing.named(files, name);
                if (shown.isEmpty() && name != null) {
                    throw new NoSuchFileException(name, null,
                            "no stored file by this name or under it; 'list' alone shows every file");
                }
                Listing.print(shown, out());
                return ExitCodes.OK;
            });
        }
    }

    @Command(name = "delete", aliases = "rm", mixinStandardHelpOptions = true,
            description = "Delete NAME: remove it from the metadata, then its chunks from the servers."
                    + " NAME/ (ending in '/') deletes every file under the folder NAME.")
    static final class Delete extends FileCommand {
        @Parameters(paramLabel = "NAME", description = "stored file name, or a folder of them ending in '/'")
        String name;

        Delete(Session session) {
            super(session);
        }

        @Override
        public Integer call() throws IOException {
            if (name.endsWith("/")) {
                String prefix = name.substring(0, name.length() - 1);
                return session.with(config, true, master -> master.requireUnder(prefix), master -> {
                    long t0 = System.nanoTime();
                    List<FileRecord> removed = master.deleteFolder(prefix);
                    out().printf("deleted folder %s/: %d file%s, %s, %s%n", prefix, removed.size(),
                            removed.size() == 1 ? "" : "s", Units.bytes(removed.stream().mapToLong(FileRecord::size).sum()),
                            Units.seconds(System.nanoTime() - t0));
                    return ExitCodes.OK;
                });
            }
            String hint = "'delete " + name + "/' deletes them all";
            return session.with(config, true, master -> requireFile(master, name, hint), master -> {
                FileRecord r = master.delete(name);
                out().printf("deleted %s (%s, %d chunk%s)%n", r.name(), Units.bytes(r.size()), r.chunkCount(),
                        r.chunkCount() == 1 ? "" : "s");
                return ExitCodes.OK;
            });
        }
    }

    /**
     * {@code name} is a stored file; a folder is refused with {@code folderHint}, the command that
     * acts on the folder, so that a folder is never acted on unasked.
     */
    private static void requireFile(Master master, String name, String folderHint) throws NoSuchFileException {
        if (master.file(name).isEmpty() && FileNames.isValid(name)) {
            int files = master.filesUnder(name).size();
            if (files > 0) {
                throw new NoSuchFileException(name, null, "is a folder of " + files + " stored file"
                        + (files == 1 ? "" : "s") + ", not a file; " + folderHint);
            }
        }
        master.require(name);
    }

    @Command(name = "rename", aliases = "mv", mixinStandardHelpOptions = true,
            description = "Rename the stored file NAME to NEW_NAME (a metadata change: no chunk moves)."
                    + " NAME/ NEW_NAME/ (ending in '/') renames every file under the folder NAME.")
    static final class Rename extends FileCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "stored file name, or a folder of them ending in '/'")
        String name;

        @Parameters(index = "1", paramLabel = "NEW_NAME", description = "its new name, not stored yet ('/' at the end for"
                + " a folder)")
        String newName;

        Rename(Session session) {
            super(session);
        }

        @Override
        public Integer call() throws IOException {
            if (name.endsWith("/") != newName.endsWith("/")) {
                throw new IllegalArgumentException("rename a folder to a folder ('" + name + "' and '" + newName
                        + "' must both end in '/') or a file to a file (neither does)");
            }
            if (name.endsWith("/")) {
                String from = name.substring(0, name.length() - 1);
                String to = newName.substring(0, newName.length() - 1);
                return session.with(config, false, master -> master.requireUnder(from), master -> {
                    List<FileRecord> moved = master.renameFolder(from, to);
                    out().printf("renamed folder %s/ to %s/: %d file%s%n", from, to, moved.size(),
                            moved.size() == 1 ? "" : "s");
                    return ExitCodes.OK;
                });
            }
            String hint = "'rename " + name + "/ " + newName + "/' renames them all";
            return session.with(config, false, master -> requireFile(master, name, hint), master -> {
                master.rename(name, newName);
                out().printf("renamed %s to %s%n", name, newName);
                return ExitCodes.OK;
            });
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Show every chunk server (id, address, state, chunks, free space), totals, and how many"
                    + " chunks are short of replication_factor good copies.")
    static final class Status extends FileCommand {
        Status(Session session) {
            super(session);
        }

        @Override
        public Integer call() throws IOException {
            return session.with(config, true, master -> {
                master.refresh();
                master.fsck(false); // a current under-replicated count: one chunk listing per live server
                ClusterStatus s = master.status();
                out().printf("%-16s  %-21s  %-8s  %7s  %10s  %10s  %s%n", "NODE", "ADDRESS", "STATE", "CHUNKS", "USED",
                        "FREE", "NOTE");
                long chunks = 0;
                long used = 0;
                for (ServerStatus v : s.servers()) {
                    String node = v.node().map(Object::toString).orElse("-");
                    String addr = v.address().getHostString() + ":" + v.address().getPort();
                    String c = v.health().map(h -> Long.toString(h.chunkCount())).orElse("-");
                    String u = v.health().map(h -> Units.bytes(h.usedBytes())).orElse("-");
                    String f = v.health().map(h -> Units.bytes(h.freeBytes())).orElse("-");
                    String note = v.node().filter(s.draining()::contains).isPresent()
                            ? "drained: takes no new copies; stop it, or 'drain --undo' it" + (v.note().isEmpty() ? "" : "; " + v.note()) : v.note();
                    out().printf("%-16s  %-21s  %-8s  %7s  %10s  %10s  %s%n", node, addr,
                            v.liveness().name().toLowerCase(Locale.ROOT), c, u, f, note);
                    if (v.isLive()) {
                        chunks += v.health().get().chunkCount();
                        used += v.health().get().usedBytes();
                    }
                }
                for (RejectedAnnouncement r : s.rejected()) {
                    out().printf("%-16s  %-21s  %-8s  %7s  %10s  %10s  %s%n", "-", r.address().map(a -> a.getHostString() + ":" + a.getPort()).orElse(r.instance()), "rejected", "-", "-", "-", r.reason());
                }
                int disks = ReplicaPlacement.disks(s.servers());
                out().printf("%d live of %d chunk server%s, %d chunks, %s used, %s free on %d disk%s; %d file%s;"
                        + " replication factor %d%n", s.liveCount(), s.servers().size(), s.servers().size() == 1 ? "" : "s",
                        chunks, Units.bytes(used), Units.bytes(ReplicaPlacement.freeBytes(s.servers())), disks,
                        disks == 1 ? "" : "s", s.files(), s.files() == 1 ? "" : "s", s.replicationFactor());
                if (s.copiesShareMachines()) {
                    int machines = s.liveMachines();
                    out().printf("copies of a chunk share a machine: the %d live chunk servers run on %d machine%s, fewer"
                            + " than replication factor %d, so losing one machine can lose files; start chunk servers"
                            + " on more machines%n", s.liveCount(), machines, machines == 1 ? "" : "s",
                            s.replicationFactor());
                }
                HealingStatus h = s.healing();
                out().printf("%d chunk%s under-replicated; since start: %d chunk cop%s made, %d extra cop%s trimmed,"
                        + " %d orphan%s deleted%n", h.underReplicatedChunks(), h.underReplicatedChunks() == 1 ? "" : "s",
                        h.chunksCopied(), h.chunksCopied() == 1 ? "y" : "ies", h.extraCopiesTrimmed(),
                        h.extraCopiesTrimmed() == 1 ? "y" : "ies", h.orphansDeleted(), h.orphansDeleted() == 1 ? "" : "s");
                MetadataCopies.Standing c = master.metadataCopies();
                out().println(c.otherMaster().isPresent()
                        ? "another master: " + c.otherMaster().get() + ", so this master stores no file, deletes no"
                                + " orphan and replaces no copy; a cluster has one master (see 'One master per cluster'"
                                + " in the README)"
                        : c.heldBack()
                        ? "metadata copies held back: the chunk servers hold one, and this master started with an empty"
                                + " metadata; 'recover' restores it"
                        : "metadata copy up to date on " + c.current() + " of " + c.live() + " live chunk server"
                                + (c.live() == 1 ? "" : "s"));
                return ExitCodes.OK;
            });
        }
    }

    @Command(name = "drain", mixinStandardHelpOptions = true,
            description = {"Move every copy a chunk server holds to the other servers, so that it can be stopped"
                    + " or its machine retired without leaving any chunk short of copies. Each copy is verified,"
                    + " recorded on its new server, then deleted from this one; from then on, restarts too, no"
                    + " master places new copies on it until 'drain --undo' takes it back. Exit code 0 when no"
                    + " file needs the server any more."})
    static final class Drain extends FileCommand {
        @Parameters(paramLabel = "SERVER", description = "the chunk server: its node id (or its first 4 digits or"
                + " more) or host:port, as 'status' shows them")
        String server;

        @Option(names = "--undo", description = "take a drained server back: masters place new copies on it again")
        boolean undo;

        Drain(Session session) {
            super(session);
        }

        @Override
        public Integer call() throws IOException {
            return session.with(config, true, master -> {
                if (undo) {
                    out().println(master.undrain(server).describe() + " taken back: masters place new copies on it"
                            + " again");
                    return ExitCodes.OK;
                }
                DrainReport report = master.drain(server);
                report.lines().forEach(out()::println);
                return report.done() ? ExitCodes.OK : ExitCodes.FAILED;
            });
        }
    }

    @Command(name = "fsck", mixinStandardHelpOptions = true,
            description = "Check every chunk of every file: good, missing, corrupt or unreachable replicas;"
                    + " exit code 0 when every file is healthy.")
    static final class Fsck extends FileCommand {
        @Option(names = "--deep", description = "also fetch every replica and check its SHA-256 (reads all data)")
        boolean deep;

        @Option(names = "--repair", description = "restore replication_factor good copies of every damaged chunk"
                + " and move copies that share a machine, then check again")
        boolean repair;

        Fsck(Session session) {
            super(session);
        }

        @Override
        public Integer call() throws IOException {
            return session.with(config, true, master -> {
                FsckReport report = master.fsck(deep);
                report.lines().forEach(out()::println);
                if (repair && (!report.healthy() || !report.crowded().isEmpty())) {
                    for (RepairOutcome o : master.repair(report)) {
                        out().println("repair: " + o.describe());
                    }
                    report = master.fsck(deep);
                    out().println("after repair:");
                    report.lines().forEach(out()::println);
                }
                return report.healthy() ? ExitCodes.OK : ExitCodes.FAILED;
            });
        }
    }

    /** The file named on the command line, or else the bare name inside upload_dir. */
    static Path resolveSource(DfsConfig config, String file) throws NoSuchFileException {
        Path given = Path.of(file);
        if (Files.exists(given)) {
            return given;
        }
        if (given.getNameCount() == 1 && !given.isAbsolute()) {
            Path inUploadDir = config.uploadDir().resolve(given);
            if (Files.exists(inUploadDir)) {
                return inUploadDir;
            }
            throw new NoSuchFileException(file, null, "no such file here or in " + config.uploadDir());
        }
        throw new NoSuchFileException(file, null, "no such file");
    }

    /** DEST as given; an existing folder gets NAME inside it; no DEST means output_dir/NAME. */
    static Path destination(DfsConfig config, String name, Path dest) {
        FileNames.check(name); // a name is never allowed to climb out of the output folder
        if (dest == null) {
            return config.outputDir().resolve(name);
        }
        if (Files.isDirectory(dest)) {
            return dest.resolve(name);
        }
        return dest;
    }
}
