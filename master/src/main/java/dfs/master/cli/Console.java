package dfs.master.cli;

import dfs.master.Master;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The master console. On a terminal: a prompt, history and tab completion (JLine). Otherwise
 * (a pipe or a file on standard input): one command per line, no prompt, stopping at end of
 * input, so the console is scriptable. Either way a failed command prints one error line and the
 * console goes on; a script's exit code is 1 if any command failed. On a terminal, Ctrl-C during
 * a transfer cancels it and returns to the prompt.
 *
 * <p>The console takes commands as soon as the metadata is read, while discovery goes on: a
 * command that needs chunk servers waits for the {@code num_chunk_servers} expected, up to
 * {@code discovery_timeout} from the console's start, as a one-shot command does; the others
 * ({@code help}, {@code list}, ...) never wait for the network.
 */
final class Console {
    private static final String PROMPT = "dfs> ";

    private final Master master;
    private final boolean terminal;
    private final AtomicBoolean cancel = new AtomicBoolean();
    private volatile boolean commandRunning;
    private boolean exitRequested;
    /** Until when a command that needs chunk servers waits for those expected. */
    private final Instant serversDue;

    Console(Master master, boolean terminal) {
        this.master = master;
        this.terminal = terminal;
        this.serversDue = Instant.now().plus(master.config().discoveryTimeout());
    }

    /**
     * Waits until the chunk servers the configuration expects are live, or {@link #serversDue}:
     * the wait a one-shot command makes before it runs, made by the console's first command that
     * needs them, not by its start.
     */
    private void awaitServers() {
        Duration left = Duration.between(Instant.now(), serversDue);
        int expected = master.config().numChunkServers();
        if (!left.isNegative() && !left.isZero() && master.status().liveCount() < expected) {
            master.awaitServers(expected, left);
        }
    }

    /** Runs the console until {@code exit} or end of input; returns the exit code. */
    int run() throws IOException {
        return terminal ? runInteractive() : runScripted(new BufferedReader(new InputStreamReader(System.in,
                StandardCharsets.UTF_8)), new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    }

    /** Runs commands read from {@code in}, one per line, until {@code exit} or its end; returns the exit code. */
    private int runScripted(BufferedReader in, PrintWriter out, PrintWriter err) throws IOException {
        CommandLine commands = commands(out, err);
        DefaultParser parser = new DefaultParser();
        int worst = ExitCodes.OK;
        String line;
        while (!exitRequested && (line = in.readLine()) != null) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            List<String> words = parser.parse(trimmed, trimmed.length()).words();
            int code = commands.execute(words.stream().filter(w -> !w.isEmpty()).toArray(String[]::new));
            worst = Math.max(worst, code == ExitCodes.OK ? ExitCodes.OK : ExitCodes.FAILED);
        }
        return worst;
    }

    private int runInteractive() throws IOException {
        try (Terminal term = TerminalBuilder.builder().system(true).build()) {
            PrintWriter out = term.writer();
            CommandLine commands = commands(out, out);
            ConsoleCompleter completer = new ConsoleCompleter(master, commands.getSubcommands().keySet().stream()
                    .sorted().toList());
            term.handle(Terminal.Signal.INT, signal -> ctrlC(out));
            LineReader reader = LineReaderBuilder.builder().terminal(term).completer(completer)
                    .parser(new DefaultParser())
                    .variable(LineReader.HISTORY_FILE, Path.of(System.getProperty("user.home"), ".dfs_history"))
                    .build();
            out.println("dfs console: 'help' lists the commands, 'exit' leaves.");
            out.flush();
            reportServersWhenFound(reader);
            while (!exitRequested) {
                String line;
                try {
                    line = reader.readLine(PROMPT);
                } catch (UserInterruptException e) {
                    continue; // Ctrl-C clears the line
                } catch (EndOfFileException e) {
                    break; // Ctrl-D
                }
                List<String> words = reader.getParsedLine().words().stream().filter(w -> !w.isEmpty()).toList();
                if (!words.isEmpty()) {
                    cancel.set(false);
                    commandRunning = true;
                    try {
                        commands.execute(words.toArray(String[]::new));
                    } finally {
                        commandRunning = false;
                    }
                }
            }
            return ExitCodes.OK;
        }
    }

    /**
     * Prints, above the prompt, how many chunk servers are live once those expected are (or
     * {@code discovery_timeout} has passed), so the prompt does not wait for discovery.
     */
    private void reportServersWhenFound(LineReader reader) {
        Thread t = new Thread(() -> {
            awaitServers();
            long live = master.status().liveCount();
            int expected = master.config().numChunkServers();
            try {
                reader.printAbove(live + " chunk server(s) live" + (live < expected ? " of the " + expected
                        + " expected (num_chunk_servers); 'status' shows them" : "") + ".");
            } catch (RuntimeException closing) {
                // the console ended first: nobody is left to tell
            }
        }, "dfs-console-servers");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Ctrl-C while a command runs (at the prompt JLine reads it as a key and clears the line): the
     * first asks the command's transfer to stop, which then undoes itself; a second leaves dfs,
     * as a command that does not transfer files ignores the first.
     */
    private void ctrlC(PrintWriter out) {
        if (!commandRunning) {
            return;
        }
        if (cancel.getAndSet(true)) {
            System.exit(ExitCodes.INTERRUPTED);
        }
        out.println();
        out.println("cancelling: the transfer stops after the chunks in flight and keeps nothing partial"
                + " (Ctrl-C again leaves dfs)");
        out.flush();
    }

    private CommandLine commands(PrintWriter out, PrintWriter err) {
        CommandLine root = new CommandLine(new Root());
        FileCommands.addTo(root, new ConsoleSession(master, terminal, out, err, cancel, this::awaitServers));
        root.addSubcommand("exit", new CommandLine(new Exit()), "quit");
        root.addSubcommand("bench", new CommandLine(new BenchCommand()));
        DfsCommand.configure(root);
        root.setOut(out);
        root.setErr(err);
        return root;
    }

    @Command(name = "", synopsisHeading = "", customSynopsis = "Usage: COMMAND [OPTIONS] [ARGUMENTS]; 'help COMMAND'"
            + " explains one%n", description = "dfs console commands:", subcommands = CommandLine.HelpCommand.class)
    private static final class Root implements Runnable {
        @Override
        public void run() {}
    }

    @Command(name = "exit", description = "Leave the console.")
    private final class Exit implements Runnable {
        @Override
        public void run() {
            exitRequested = true;
        }
    }

    /** File commands inside the console use its running master. */
    private record ConsoleSession(Master master, boolean terminal, PrintWriter out, PrintWriter err, AtomicBoolean cancel,
            Runnable awaitServers) implements Session {
        @Override
        public boolean cancelRequested() {
            return cancel.get();
        }

        @Override
        public <T> T with(ConfigOption config, boolean needsServers, Check check, MasterAction<T> action)
                throws IOException {
            if (config.file != null) {
                throw new IllegalArgumentException("--config applies to one-shot commands; this console already uses "
                        + master.config().source());
            }
            check.run(master);
            if (needsServers) {
                awaitServers.run();
            }
            return action.run(master);
        }

    }
}
