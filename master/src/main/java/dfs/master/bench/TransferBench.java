package dfs.master.bench;

import dfs.master.Master;
import dfs.master.metadata.FileRecord;
import dfs.master.transfer.Progress;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The transfers of a benchmark, through the real {@link Master}: a large random file uploaded and
 * downloaded (verified, decrypted, written to a file) several times, and a folder of small files
 * uploaded and downloaded once each, as {@code upload <dir>} and {@code download <dir>/} do. Every
 * file it stores is named under {@value #PREFIX}/ and removed again by {@link #cleanUp()}. Not
 * thread-safe.
 */
final class TransferBench {
    static final String PREFIX = "dfs-bench";
    static final int SMALL_FILE_BYTES = 4 * 1024;
    private static final int WRITE_BUFFER = 1024 * 1024;
    /** Warm-up goes on while the compilers take more than this share of the CPU. */
    static final double SETTLED_COMPILER_SHARE = 0.05;
    static final int MAX_WARM_UP_ROUNDS = 16;

    private final Master master;
    private final Path work;
    private final PrintWriter notes;
    private final SplittableRandom random;
    private final CpuMeter cpu;

    /** Timings of the large file, one entry per run, in nanoseconds, and the CPU all runs used. */
    record LargeRuns(long bytes, List<Long> uploadNanos, List<Long> downloadNanos, CpuMeter.Sample uploadCpu,
            CpuMeter.Sample downloadCpu) {
        LargeRuns {
            uploadNanos = List.copyOf(uploadNanos);
            downloadNanos = List.copyOf(downloadNanos);
        }
    }

    /** Timings of the small files, and the CPU they used. */
    record SmallRun(int files, long uploadNanos, long downloadNanos, CpuMeter.Sample uploadCpu,
            CpuMeter.Sample downloadCpu) {}

    TransferBench(Master master, Path work, PrintWriter notes, long seed, CpuMeter cpu) {
        this.master = master;
        this.cpu = cpu;
        this.work = work;
        this.notes = notes;
        this.random = new SplittableRandom(seed);
    }

    /** Writes the random input files; done before measuring so their buffers are not counted. */
    Path writeLargeFile(long size) throws IOException {
        Path file = work.resolve("large.bin");
        writeRandom(file, size);
        return file;
    }

    Path writeSmallFiles(int count) throws IOException {
        Path folder = Files.createDirectories(work.resolve("small"));
        for (int i = 0; i < count; i++) {
            // spread over folders of 100, as a real tree of small files would be
            Path f = folder.resolve(String.format("d%03d/f%05d.bin", i / 100, i));
            Files.createDirectories(f.getParent());
            writeRandom(f, SMALL_FILE_BYTES);
        }
        return folder;
    }

    private void writeRandom(Path file, long size) throws IOException {
        byte[] buf = new byte[(int) Math.min(WRITE_BUFFER, Math.max(1, size))];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= buf.length) {
                random.nextBytes(buf);
                out.write(buf, 0, (int) Math.min(buf.length, left));
            }
        }
    }

    /**
     * Untimed rounds, so the figures that follow are those of running processes rather than of
     * just-started ones, whose transfers also pay for compiling the code they run on the same
     * cores. The small files and the large file warm up separately, each round after round until
     * the JVMs' compilers take under {@link #SETTLED_COMPILER_SHARE} of the CPU of its own round
     * (at least one round each, at most {@code maxRounds}, by default {@link #MAX_WARM_UP_ROUNDS};
     * one where the compilers' time cannot be read): small files exercise other code (a request, a
     * new file and a commit per file), which on two cores was still compiling at a third of the CPU
     * when the large file had long settled.
     */
    void warmUp(Path large, Path smallFolder, int maxRounds) throws IOException {
        if (maxRounds == 0) {
            notes.println("bench: no warm-up (--warm-up-rounds 0): the figures include the JIT compilers' start");
            return;
        }
        notes.printf("bench: warm-up (not counted): the small files and the large file, each until the JIT compilers"
                + " take under %.0f%% of the CPU of its round (at most %d rounds)%n", 100 * SETTLED_COMPILER_SHARE,
                maxRounds);
        boolean smallSettled = false;
        boolean largeSettled = false;
        for (int round = 1; round <= maxRounds && !(smallSettled && largeSettled); round++) {
            if (!smallSettled) {
                // The small files are kept until the end: deleting thousands of chunk files just before
                // a measured run would have it pay for the file system skipping their freshly freed
                // inodes (ext4 without a journal does, for half a minute) instead of measuring dfs.
                SmallRun s = small(smallFolder, PREFIX + "/warm-up-" + round, "warm-up round " + round);
                smallSettled = settled(s.uploadCpu().plus(s.downloadCpu()));
            }
            if (!largeSettled) {
                LargeRuns l = runLarge(large, 1, "warm-up round " + round);
                largeSettled = settled(l.uploadCpu().plus(l.downloadCpu()));
            }
        }
    }

    private static boolean settled(CpuMeter.Sample used) {
        return used.compilerNanos() == 0 || used.compilerShare() < SETTLED_COMPILER_SHARE;
    }

    /** Uploads then downloads {@code file} {@code repeat} times, removing both copies after each run. */
    LargeRuns large(Path file, int repeat) throws IOException {
        return runLarge(file, repeat, "large file");
    }

    private LargeRuns runLarge(Path file, int repeat, String label) throws IOException {
        String name = PREFIX + "/large.bin";
        Path back = work.resolve("large.out");
        long size = Files.size(file);
        List<Long> up = new ArrayList<>();
        List<Long> down = new ArrayList<>();
        CpuMeter.Sample upCpu = CpuMeter.Sample.ZERO;
        CpuMeter.Sample downCpu = CpuMeter.Sample.ZERO;
        for (int run = 1; run <= repeat; run++) {
            CpuMeter.Sample c0 = cpu.now();
            long t0 = System.nanoTime();
            master.upload(file, name, Progress.NONE);
            long t1 = System.nanoTime();
            CpuMeter.Sample c1 = cpu.now();
            master.download(name, back, Progress.NONE);
            long t2 = System.nanoTime();
            CpuMeter.Sample c2 = cpu.now();
            CpuMeter.Sample runUp = c1.minus(c0);
            CpuMeter.Sample runDown = c2.minus(c1);
            upCpu = upCpu.plus(runUp);
            downCpu = downCpu.plus(runDown);
            if (Files.size(back) != size) {
                throw new IOException("the benchmark file came back as " + Files.size(back) + " bytes, not " + size);
            }
            up.add(t1 - t0);
            down.add(t2 - t1);
            notes.printf("bench: %s: upload %.1f MB/s, download %.1f MB/s; JIT compilers %.0f%% of the CPU%n",
                    repeat == 1 ? label : label + " run " + run + " of " + repeat, size * 1e3 / (t1 - t0),
                    size * 1e3 / (t2 - t1), 100 * runUp.plus(runDown).compilerShare());
            Files.delete(back);
            master.delete(name);
        }
        return new LargeRuns(size, up, down, upCpu, downCpu);
    }

    /** Uploads the folder of small files, then downloads it into a fresh folder. */
    SmallRun small(Path folder) throws IOException {
        return small(folder, PREFIX + "/small", "small files");
    }

    private SmallRun small(Path folder, String prefix, String label) throws IOException {
        CpuMeter.Sample c0 = cpu.now();
        long t0 = System.nanoTime();
        Master.FolderTransfer up = master.uploadFolder(folder, prefix, Progress.NONE);
        long t1 = System.nanoTime();
        CpuMeter.Sample c1 = cpu.now();
        Path out = work.resolve("small-out").resolve(prefix.substring(prefix.lastIndexOf('/') + 1));
        Master.FolderTransfer down = master.downloadFolder(prefix, out, Progress.NONE);
        long t2 = System.nanoTime();
        CpuMeter.Sample c2 = cpu.now();
        if (down.files().size() != up.files().size()) {
            throw new IOException("uploaded " + up.files().size() + " small files but downloaded " + down.files().size());
        }
        notes.printf("bench: %s, %d small files: upload %.1f files/s, download %.1f files/s; JIT compilers %.0f%% of"
                + " the CPU%n", label, up.files().size(), up.files().size() * 1e9 / (t1 - t0),
                up.files().size() * 1e9 / (t2 - t1), 100 * c2.minus(c0).compilerShare());
        return new SmallRun(up.files().size(), t1 - t0, t2 - t1, c1.minus(c0), c2.minus(c1));
    }

    /** Deletes the measured folder of small files, as 'delete folder/' does; how long it took. */
    long deleteSmall(SmallRun run) throws IOException {
        long t0 = System.nanoTime();
        List<FileRecord> deleted = master.deleteFolder(PREFIX + "/small");
        long nanos = System.nanoTime() - t0;
        if (deleted.size() != run.files()) {
            throw new IOException("uploaded " + run.files() + " small files but deleted " + deleted.size());
        }
        notes.printf("bench: small files deleted, %d files/s%n", Math.round(deleted.size() * 1e9 / nanos));
        return nanos;
    }

    /** Removes every file this benchmark stored; best effort, so a failure only warns. */
    void cleanUp() {
        if (master.filesUnder(PREFIX).isEmpty()) {
            return;
        }
        try {
            master.deleteFolder(PREFIX);
        } catch (IOException | RuntimeException e) {
            notes.println("bench: could not remove " + PREFIX + "/ from the cluster: " + e.getMessage());
        }
    }
}
