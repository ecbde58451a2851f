package dfs.master.bench;

import dfs.common.config.DfsConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * Prints a benchmark's figures for a person, then one line for a script:
 * <pre>bench upload_MBps=… download_MBps=… small_up_per_s=… small_down_per_s=… master_peak_heap_MiB=… limit_upload_MBps=… limit_download_MBps=…</pre>
 * MB is 10^6 bytes, MiB 2^20. Not thread-safe.
 */
final class BenchReport {
    private static final double MIB = 1024 * 1024;
    private final PrintWriter out;

    /** What the transfers measured. */
    record Transfers(DfsConfig config, int liveServers, boolean localServers, String loadBefore, String loadAfter,
            TransferBench.LargeRuns large,
            TransferBench.SmallRun small, long smallDeleteNanos, long masterHeapPeak, long masterHeapMax, OptionalLong masterRssPeak,
            List<OptionalLong> serverRssPeaks) {
        Transfers {
            serverRssPeaks = List.copyOf(serverRssPeaks);
        }
    }

    BenchReport(PrintWriter out) {
        this.out = out;
    }

    void print(Transfers t, ComponentRates.Figures f, Limits limits, int cores) {
        double up = medianMbps(t.large().bytes(), t.large().uploadNanos());
        double down = medianMbps(t.large().bytes(), t.large().downloadNanos());
        double smallUp = t.small().files() * 1e9 / t.small().uploadNanos();
        double smallDown = t.small().files() * 1e9 / t.small().downloadNanos();
        double heapMiB = t.masterHeapPeak() / MIB;

        out.println(heading(cores));
        out.printf(Locale.ROOT, "cluster: %d %s, chunk size %s, replication %d (%s)%n", t.liveServers(),
                t.localServers() ? "chunk server processes on 127.0.0.1 (started by bench, mDNS)"
                        : "chunk servers of " + t.config().source(), t.config().chunkSize(), t.config().replicationFactor(),
                Bench.chained(t.config(), t.localServers()) ? "chain: servers pass each chunk on"
                        : "direct: the master sends every copy");
        out.printf(Locale.ROOT, "load average (1 min) before the transfers %s, after %s: other work on this machine"
                + " lowers every figure%n", t.loadBefore(), t.loadAfter());
        out.printf(Locale.ROOT, "large file %s, %d run%s (median):%n", mib(t.large().bytes()), t.large().uploadNanos().size(),
                t.large().uploadNanos().size() == 1 ? "" : "s");
        out.printf(Locale.ROOT, "  upload    %8.1f MB/s  = %3.0f%% of limit %.1f MB/s   runs: %s%n", up, 100 * up / limits.uploadMbps(),
                limits.uploadMbps(), runs(t.large().bytes(), t.large().uploadNanos()));
        out.printf(Locale.ROOT, "  download  %8.1f MB/s  = %3.0f%% of limit %.1f MB/s   runs: %s%n", down,
                100 * down / limits.downloadMbps(), limits.downloadMbps(), runs(t.large().bytes(), t.large().downloadNanos()));
        out.printf(Locale.ROOT, "small files, %d x %d KiB, as one folder:%n", t.small().files(), TransferBench.SMALL_FILE_BYTES / 1024);
        out.printf(Locale.ROOT, "  upload    %8.1f files/s%n  download  %8.1f files/s%n", smallUp, smallDown);
        out.printf(Locale.ROOT, "  delete    %8.1f files/s (the folder at once, after the large file's runs)%n",
                t.small().files() * 1e9 / t.smallDeleteNanos());
        out.printf(Locale.ROOT, "memory during the transfers:%n");
        out.printf(Locale.ROOT, "  master (this process): peak heap %.1f MiB (sum of heap pool peaks; max heap %.0f MiB),"
                + " peak RSS %s%n", heapMiB, t.masterHeapMax() / MIB, rss(t.masterRssPeak()));
        if (t.localServers()) {
            List<String> each = t.serverRssPeaks().stream().map(BenchReport::rss).toList();
            out.printf(Locale.ROOT, "  chunk servers: peak RSS %s (VmHWM; their heap is not sampled)%n", String.join(", ", each));
        }
        out.printf(Locale.ROOT, "components, one thread each, measured in this run:%n");
        component("AES-256-GCM seal, 4 MiB", f.aesSeal(), "");
        component("SHA-256", f.sha256(), "");
        component("CRC-32C", f.crc32c(), "");
        component("TLS 1.3 stream, loopback", f.tlsReceived(), String.format(Locale.ROOT,
                "  %s; CPU per side: send %.0f MB/s, receive %.0f MB/s", f.tlsSuite(), f.tlsSent().cpuMbps(),
                f.tlsReceived().cpuMbps()));
        component("fsync'd write, 4 MiB files", f.fsyncWrite(), String.format(Locale.ROOT,
                "  (CPU alone: %.0f MB/s)", f.fsyncWrite().cpuMbps()));
        out.printf(Locale.ROOT, "limits (formula in Limits.java and README 'Benchmark'), %d cores:%n", cores);
        out.printf(Locale.ROOT, "  upload    %8.1f MB/s  (CPU bound %.1f, disk bound %s)%n", limits.uploadMbps(),
                limits.uploadCpuMbps(), finite(limits.uploadDiskMbps()));
        out.printf(Locale.ROOT, "  download  %8.1f MB/s  (CPU bound %.1f, disk bound %s)%n", limits.downloadMbps(),
                limits.downloadCpuMbps(), finite(limits.downloadDiskMbps()));
        cpuUse(t, limits, cores);
        out.printf(Locale.ROOT, "bench upload_MBps=%.2f download_MBps=%.2f small_up_per_s=%.2f small_down_per_s=%.2f"
                + " master_peak_heap_MiB=%.2f limit_upload_MBps=%.2f limit_download_MBps=%.2f%n", up, down, smallUp,
                smallDown, heapMiB, limits.uploadMbps(), limits.downloadMbps());
        out.flush();
    }

    /** CPU the transfers really used per byte, beside what the components predict: the overhead to hunt. */
    private void cpuUse(Transfers t, Limits limits, int cores) {
        TransferBench.LargeRuns l = t.large();
        long bytes = l.bytes() * l.uploadNanos().size();
        out.printf(Locale.ROOT, "CPU used by the transfers, ns per byte (predicted by the components in brackets):%n");
        cpuLine("upload", l.uploadCpu(), bytes, limits.masterUpload(), limits.serversUpload(), sum(l.uploadNanos()),
                cores, t.localServers());
        cpuLine("download", l.downloadCpu(), bytes, limits.masterDownload(), limits.serversDownload(),
                sum(l.downloadNanos()), cores, t.localServers());
        TransferBench.SmallRun s = t.small();
        out.printf(Locale.ROOT, "  small files: %.2f ms CPU per upload (master %.2f), %.2f ms per download (master %.2f)%n",
                s.uploadCpu().total() / 1e6 / s.files(), s.uploadCpu().masterNanos() / 1e6 / s.files(),
                s.downloadCpu().total() / 1e6 / s.files(), s.downloadCpu().masterNanos() / 1e6 / s.files());
    }

    private void cpuLine(String what, CpuMeter.Sample used, long bytes, double masterPredicted, double serversPredicted,
            long wallNanos, int cores, boolean local) {
        out.printf(Locale.ROOT, "  %-9s master %.2f [%.2f], chunk servers %s; all processes busy %.0f%% of %d cores,"
                + " JIT compilers %.0f%% of that%n",
                what, used.masterNanos() / (double) bytes, masterPredicted * 1e9,
                local ? String.format(Locale.ROOT, "%.2f [%.2f]", used.serversNanos() / (double) bytes, serversPredicted * 1e9)
                        : "not measured (elsewhere)",
                100.0 * used.total() / wallNanos / cores, cores, 100 * used.compilerShare());
    }

    private static long sum(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).sum();
    }

    /** The first line of every report: when, and on what machine. */
    static String heading(int cores) {
        return String.format(Locale.ROOT, "dfs bench, %s, %s, %d cores, Java %s, %s",
                ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z", Locale.ROOT)),
                cpuModel(), cores, System.getProperty("java.version"), System.getProperty("os.name"));
    }

    /** The 1-minute load average, or "unknown" where /proc has none. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private void component(String name, Rate r, String extra) {
        out.printf(Locale.ROOT, "  %-28s %8.1f MB/s%s%n", name, r.mbps(), extra);
    }

    static double medianMbps(long bytes, List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
        return bytes * 1e3 / median;
    }

    private static String runs(long bytes, List<Long> nanos) {
        return String.join(", ", nanos.stream().map(n -> String.format(Locale.ROOT, "%.1f", bytes * 1e3 / n)).toList());
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / MIB);
    }

    private static String rss(OptionalLong bytes) {
        return bytes.isPresent() ? mib(bytes.getAsLong()) : "unknown";
    }

    private static String finite(double mbps) {
        return Double.isInfinite(mbps) ? "not counted" : String.format(Locale.ROOT, "%.1f", mbps);
    }

    /** The CPU model from /proc/cpuinfo, or the architecture where there is none. */
    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }
}
