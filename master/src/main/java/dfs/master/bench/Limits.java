package dfs.master.bench;

/**
 * The best throughput this machine could give, from its component rates: what a transfer would
 * reach if the only costs were its cryptography, TLS and forced disk writes, spread perfectly over
 * every core, with nothing spent on HTTP, copies, scheduling or waiting. A measured figure divided
 * by its limit says how much of the machine the pipeline uses.
 *
 * <p>With {@code c(x)} the CPU seconds one byte costs in component {@code x} (1 / its one-thread
 * rate), {@code R} the replication factor and {@code n} the cores, per plaintext byte:
 * <pre>
 * upload   CPU = c(SHA)            whole-file hash of the plaintext
 *              + c(AES)            seal
 *              + c(SHA)            hash of the sealed chunk (its id in the metadata)
 *              + R × c(TLS send)   one copy to each replica
 *              + R × (c(TLS receive) + c(SHA) + c(fsync write))   each chunk server: receive, verify, store
 * download CPU = c(TLS send)       the chunk server
 *              + c(TLS receive) + c(SHA) + c(AES) + c(SHA)         receive, verify, open, whole-file hash
 *              + c(fsync write)    the output file
 * limit_upload   = min(n / upload CPU,   fsync rate / R)
 * limit_download = min(n / download CPU, fsync rate)
 * </pre>
 * The fsync rate bounds by the disk: every replica is one forced write. When the chunk servers
 * run elsewhere ({@code serversLocal} false) their terms, and for uploads the disk bound, are left
 * out. Immutable.
 *
 * @param uploadCpuMbps the upload limit from CPU alone, MB/s
 * @param uploadDiskMbps the upload limit from forced writes alone (infinite if not counted), MB/s
 * @param downloadCpuMbps the download limit from CPU alone, MB/s
 * @param downloadDiskMbps the download limit from the forced write of the output, MB/s
 */
record Limits(double uploadCpuMbps, double uploadDiskMbps, double downloadCpuMbps, double downloadDiskMbps) {

    static Limits of(ComponentRates.Figures f, int cores, int replication, boolean serversLocal) {
        double sha = f.sha256().cpuSecondsPerByte();
        double aes = f.aesSeal().cpuSecondsPerByte();
        double send = f.tlsSent().cpuSecondsPerByte();
        double receive = f.tlsReceived().cpuSecondsPerByte();
        double fsyncCpu = f.fsyncWrite().cpuSecondsPerByte();
        double server = serversLocal ? 1 : 0;

        double upload = sha + aes + sha + replication * send + server * replication * (receive + sha + fsyncCpu);
        double download = server * send + receive + sha + aes + sha + fsyncCpu;
        double uploadDisk = serversLocal ? f.fsyncWrite().mbps() / replication : Double.POSITIVE_INFINITY;
        return new Limits(cores / upload / 1e6, uploadDisk, cores / download / 1e6, f.fsyncWrite().mbps());
    }

    double uploadMbps() {
        return Math.min(uploadCpuMbps, uploadDiskMbps);
    }

    double downloadMbps() {
        return Math.min(downloadCpuMbps, downloadDiskMbps);
    }
}
