package dfs.master.repair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dfs.common.config.DfsConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepairSettingsTest {
    @TempDir
    Path dir;

    private RepairSettings forHeartbeat(String heartbeat, String deadAfter) {
        return RepairSettings.forConfig(DfsConfig.fromValues(dir.resolve("dfs_setup.config"),
                Map.of(DfsConfig.HEARTBEAT_INTERVAL, heartbeat, DfsConfig.DEAD_AFTER, deadAfter,
                        DfsConfig.DISCOVERY_TIMEOUT, "5s")));
    }

    @Test
    void scansEveryHeartbeatAndKeepsOrphansForTenHeartbeatsButAtLeastAMinute() {
        RepairSettings quick = forHeartbeat("2s", "10s");
        assertThat(quick.scanInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(quick.orphanGrace()).isEqualTo(Duration.ofMinutes(1));
        assertThat(quick.settle()).isEqualTo(Duration.ofSeconds(10));

        RepairSettings slow = forHeartbeat("10s", "30s");
        assertThat(slow.orphanGrace()).isEqualTo(Duration.ofSeconds(100));
    }

    @Test
    void nonsenseIsRefusedNamingTheValue() {
        assertThatThrownBy(() -> new RepairSettings(Duration.ZERO, Duration.ZERO, Duration.ZERO, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
        assertThatThrownBy(() -> new RepairSettings(Duration.ofSeconds(1), Duration.ZERO, Duration.ZERO, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parallelism 0");
    }
}
