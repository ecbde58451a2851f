package dfs.master.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The limits formula, on round numbers: every component costs 1 ns per byte of CPU (1000 MB/s). */
class LimitsTest {
    private static final long NS = 1_000_000_000L;

    /** A rate of {@code mbps} MB/s that costs {@code cpuMbps}-worth of CPU. */
    private static Rate rate(double mbps, double cpuMbps) {
        return new Rate(NS, Math.round(NS * 1000 / mbps), Math.round(NS * 1000 / cpuMbps));
    }

    private static ComponentRates.Figures figures(double fsyncMbps) {
        Rate one = rate(1000, 1000);
        return new ComponentRates.Figures(one, one, one, one, one, "TLS_AES_256_GCM_SHA384", rate(fsyncMbps, 1000));
    }

    @Test
    void localServersAddTheirReceiveCheckAndWriteToTheUploadCost() {
        // upload: AES + SHA + CRC + 2 sends + 2 × (receive + CRC + fsync) = 11 ns/B; 2 cores -> 2/11 B/ns
        Limits l = Limits.of(figures(10_000), 2, 2, false, true);
        assertThat(l.uploadCpuMbps()).isCloseTo(2000.0 / 11, within(0.01));
        // download: send + receive + AES + fsync = 4 ns/B
        assertThat(l.downloadCpuMbps()).isCloseTo(2000.0 / 4, within(0.01));
    }

    @Test
    void remoteServersCountOnlyTheMastersShare() {
        Limits l = Limits.of(figures(10_000), 2, 2, false, false);
        assertThat(l.uploadCpuMbps()).isCloseTo(2000.0 / 5, within(0.01));
        assertThat(l.downloadCpuMbps()).isCloseTo(2000.0 / 3, within(0.01));
        assertThat(l.uploadDiskMbps()).isInfinite();
    }

    @Test
    void theMastersAndTheServersSharesAreKeptApart() {
        Limits l = Limits.of(figures(10_000), 2, 3, false, true);
        assertThat(l.masterUpload() * 1e9).isCloseTo(1 + 1 + 1 + 3, within(1e-6));
        assertThat(l.serversUpload() * 1e9).isCloseTo(3 * 3, within(1e-6));
        assertThat(l.masterDownload() * 1e9).isCloseTo(3, within(1e-6));
        assertThat(l.serversDownload() * 1e9).isCloseTo(1, within(1e-6));
    }

    @Test
    void aChainMovesTheSecondAndLaterSendsToTheServersWhichAlsoRehashWhatWasPassedOn() {
        Limits l = Limits.of(figures(10_000), 2, 3, true, true);
        assertThat(l.masterUpload() * 1e9).isCloseTo(1 + 1 + 1 + 1, within(1e-6));
        assertThat(l.serversUpload() * 1e9).isCloseTo(3 * 3 + 2 * (1 + 1), within(1e-6));
        // on one machine a chain moves the sends and adds the confirmations' re-hashes
        assertThat(l.uploadCpuMbps()).isCloseTo(2000.0 / 17, within(0.01));
        assertThat(Limits.of(figures(10_000), 2, 3, false, true).uploadCpuMbps()).isCloseTo(2000.0 / 15, within(0.01));
        // with the servers elsewhere only the master's share counts: a third of the sends
        assertThat(Limits.of(figures(10_000), 2, 3, true, false).uploadCpuMbps()).isCloseTo(2000.0 / 4, within(0.01));
    }

    @Test
    void aSlowDiskBoundsUploadsByItsRateOverTheReplicas() {
        Limits l = Limits.of(figures(100), 2, 2, false, true);
        assertThat(l.uploadMbps()).isCloseTo(50, within(0.01));
        assertThat(l.downloadMbps()).isCloseTo(100, within(0.01));
    }
}
