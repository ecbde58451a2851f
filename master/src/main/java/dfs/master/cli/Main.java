package dfs.master.cli;

import picocli.CommandLine;

/** Entry point of the {@code dfs} command: every role (master, chunk server, demo) in one jar. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        commonPoolOfAtLeastTwo();
        System.exit(run(args));
    }

    /**
     * On a machine with two cores the common fork-join pool gets one thread, and then
     * CompletableFuture (which the JDK HttpClient hands its completions to) starts a new thread
     * for every async task: thousands per transfer. Two or more threads avoid that. Must run
     * before anything touches the pool.
     */
    static void commonPoolOfAtLeastTwo() {
        String key = "java.util.concurrent.ForkJoinPool.common.parallelism";
        if (System.getProperty(key) == null) {
            System.setProperty(key, Integer.toString(Math.max(2, Runtime.getRuntime().availableProcessors() - 1)));
        }
    }

    /** Runs one command line and returns its exit code: 0 done, 1 operation failed, 2 usage or configuration error. */
    public static int run(String... args) {
        return DfsCommand.commandLine(args).execute(args);
    }
}
