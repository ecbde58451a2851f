package dfs.master.cli;

import dfs.common.config.ByteSize;
import dfs.common.config.Durations;
import dfs.master.bench.Bench;
import dfs.master.bench.MetadataBench;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dfs bench} (also in the console): transfer figures, memory, component rates and limits. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure transfer rates, memory and the limits of this machine.",
            "Measures upload and download MB/s of a large random file (median of runs), small files per"
                + " second, memory, and this machine's AES-GCM, SHA-256, TLS and fsync rates with the limits"
                + " they imply. Starts its own 3 chunk server processes on 127.0.0.1 unless --config names a"
                + " running cluster (whose files and metadata it leaves alone). The last line is"
                + " machine-readable."})
final class BenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "benchmark the running cluster of this configuration instead of local servers")
    Path config;

    @Option(names = "--size", paramLabel = "SIZE", defaultValue = "1GiB", description = "large file size (default: 1GiB)")
    String size;

    @Option(names = "--repeat", paramLabel = "N", defaultValue = "3",
            description = "large file runs, or with --metadata-files runs of each process (default: 3)")
    int repeat;

    @Option(names = "--small-count", paramLabel = "N", defaultValue = "1000",
            description = "number of 4 KiB files (default: 1000)")
    int smallCount;

    @Option(names = "--rate-time", paramLabel = "TIME", defaultValue = "2s",
            description = "time each component rate is measured, after a warm-up of half that (default: 2s)")
    String rateTime;

    @Option(names = "--warm-up-rounds", paramLabel = "N", defaultValue = "16",
            description = "at most this many untimed rounds before the measured ones, fewer once the JIT compilers"
                    + " have settled; 0 for none, for a quick look at just-started processes (default: 16)")
    int warmUpRounds;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "where to put the temporary files, on the disk to measure (default: the system's temp folder)")
    Path dir;

    @Option(names = "--metadata-files", paramLabel = "N,N", split = ",",
            description = "instead of transfers, measure the metadata with these numbers of files (e.g. 1000,100000):"
                    + " open, list, commit and rename every file in this process, then whole 'dfs list' and 'dfs master' processes")
    int[] metadataFiles;

    @Override
    public Integer call() throws Exception {
        if (metadataFiles != null) {
            Path work = Files.createTempDirectory(dir != null ? dir : Path.of(System.getProperty("java.io.tmpdir")),
                    "dfs-bench-metadata");
            try {
                new MetadataBench(work, new PrintWriter(System.out, true), Listing::print, repeat).run(metadataFiles);
            } finally {
                Files.deleteIfExists(work);
            }
            return ExitCodes.OK;
        }
        Bench.Options options = new Bench.Options(ByteSize.parse(size).bytes(), repeat, smallCount,
                Optional.ofNullable(config), Durations.parse(rateTime), Optional.ofNullable(dir), warmUpRounds);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        new Bench(options, out, err).run();
        return ExitCodes.OK;
    }
}
