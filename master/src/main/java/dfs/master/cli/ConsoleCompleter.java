package dfs.master.cli;

import dfs.master.Master;
import dfs.master.metadata.FileRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.jline.builtins.Completers.FileNameCompleter;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Tab completion in the console: command names first; then stored file names for the commands
 * that take one, and local files (and the files waiting in upload_dir) for {@code upload}.
 * JLine itself narrows the candidates to what was typed.
 */
final class ConsoleCompleter implements Completer {
    private static final Set<String> TAKE_STORED_NAME = Set.of("download", "delete", "rm", "rename", "mv", "list", "ls");

    private final Master master;
    private final List<String> commands;
    private final FileNameCompleter localFiles = new FileNameCompleter();

    ConsoleCompleter(Master master, List<String> commands) {
        this.master = master;
        this.commands = List.copyOf(commands);
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        if (line.wordIndex() == 0) {
            commands.forEach(c -> candidates.add(new Candidate(c)));
            return;
        }
        String command = line.words().get(0);
        if (TAKE_STORED_NAME.contains(command) && line.wordIndex() == 1) {
            for (FileRecord f : master.list()) {
                candidates.add(new Candidate(f.name()));
            }
        } else if (command.equals("upload") && line.wordIndex() == 1) {
            localFiles.complete(reader, line, candidates);
            try (Stream<Path> waiting = Files.list(master.config().uploadDir())) {
                waiting.filter(Files::isRegularFile)
                        .forEach(p -> candidates.add(new Candidate(p.getFileName().toString())));
            } catch (IOException e) {
                // no upload folder: nothing more to offer
            }
        } else if (command.equals("download") && line.wordIndex() == 2) {
            localFiles.complete(reader, line, candidates);
        }
    }
}
