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
 * upload   master  = c(AES)            seal
 *                  + c(SHA) + c(CRC)   hash and checksum of the sealed chunk (the hash is recorded)
 *                  + R × c(TLS send)   one copy to each replica (direct)
 *                  | c(TLS send)       or one copy, to the first replica (chain)
 *          servers = R × (c(TLS receive) + c(CRC) + c(fsync write))   receive, check, store
 *                  + (R - 1) × (c(TLS send) + c(SHA))   chain: pass on to the next, which re-hashes
 *                                                       its copy when the master asks
 * download master  = c(TLS receive) + c(AES)    receive, open (GCM authenticates every byte)
 *                  + c(fsync write)    the output file
 *          servers = c(TLS send)
 * limit_upload   = min(n / (master + servers), fsync rate / R)
 * limit_download = min(n / (master + servers), fsync rate)
 * </pre>
 * The fsync rate bounds by the disk: every replica is one forced write. When the chunk servers
 * run elsewhere ({@code serversLocal} false) their CPU, and for uploads the disk bound, are left
 * out. Immutable.
 *
 * @param masterUpload CPU seconds per byte the master spends uploading
 * @param serversUpload CPU seconds per byte the chunk servers spend, all replicas together
 * @param masterDownload CPU seconds per byte the master spends downloading
 * @param serversDownload CPU seconds per byte the chunk servers spend serving a download
 * @param fsyncMbps the forced-write rate, MB/s
 * @param cores cores the work can spread over
 * @param replication copies of each chunk
 * @param serversLocal whether the chunk servers share this machine
 */
record Limits(double masterUpload, double serversUpload, double masterDownload, double serversDownload,
        double fsyncMbps, int cores, int replication, boolean serversLocal) {

    /** @param chained whether uploads pass chunks from server to server ({@code replication_path}) */
    static Limits of(ComponentRates.Figures f, int cores, int replication, boolean chained, boolean serversLocal) {
        double sha = f.sha256().cpuSecondsPerByte();
        double crc = f.crc32c().cpuSecondsPerByte();
        double aes = f.aesSeal().cpuSecondsPerByte();
        double send = f.tlsSent().cpuSecondsPerByte();
        double receive = f.tlsReceived().cpuSecondsPerByte();
        double fsync = f.fsyncWrite().cpuSecondsPerByte();
        int sentByMaster = chained ? 1 : replication;
        return new Limits(aes + sha + crc + sentByMaster * send,
                replication * (receive + crc + fsync) + (replication - sentByMaster) * (send + sha),
                receive + aes + fsync, send, f.fsyncWrite().mbps(), cores, replication, serversLocal);
    }

    double uploadCpuMbps() {
        return cores / (masterUpload + (serversLocal ? serversUpload : 0)) / 1e6;
    }

    /** Infinite when the servers' disks are elsewhere. */
    double uploadDiskMbps() {
        return serversLocal ? fsyncMbps / replication : Double.POSITIVE_INFINITY;
    }

    double downloadCpuMbps() {
        return cores / (masterDownload + (serversLocal ? serversDownload : 0)) / 1e6;
    }

    double downloadDiskMbps() {
        return fsyncMbps;
    }

    double uploadMbps() {
        return Math.min(uploadCpuMbps(), uploadDiskMbps());
    }

    double downloadMbps() {
        return Math.min(downloadCpuMbps(), downloadDiskMbps());
    }
}
