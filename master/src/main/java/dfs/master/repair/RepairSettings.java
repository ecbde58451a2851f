package dfs.master.repair;

import dfs.common.config.DfsConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * How the background healer paces itself. Derived from the configuration by {@link #forConfig};
 * tests pass shorter times. Immutable.
 *
 * @param scanInterval time between scans (one chunk listing per live server each)
 * @param orphanGrace how long a chunk must stay unreferenced, on consecutive scans, before it is
 *     deleted
 * @param settle how long after start a recorded server the master has never heard of counts as
 *     gone (before that, discovery may simply not have found it yet)
 * @param parallelism chunk copies at once
 */
public record RepairSettings(Duration scanInterval, Duration orphanGrace, Duration settle, int parallelism) {
    /** Orphans are never collected sooner than this, whatever the heartbeat. */
    public static final Duration MIN_ORPHAN_GRACE = Duration.ofMinutes(1);

    public RepairSettings {
        Objects.requireNonNull(scanInterval, "scanInterval");
        Objects.requireNonNull(orphanGrace, "orphanGrace");
        Objects.requireNonNull(settle, "settle");
        if (scanInterval.isNegative() || scanInterval.isZero()) {
            throw new IllegalArgumentException("repair scan interval " + scanInterval + " must be positive");
        }
        if (orphanGrace.isNegative() || settle.isNegative()) {
            throw new IllegalArgumentException("orphan grace " + orphanGrace + " and settle time " + settle
                    + " must not be negative");
        }
        if (parallelism < 1) {
            throw new IllegalArgumentException("repair parallelism " + parallelism + " must be at least 1");
        }
    }

    /**
     * A scan every {@code heartbeat_interval}; orphans kept for ten heartbeats but at least a minute;
     * unknown servers given up after the longer of {@code dead_after} and {@code discovery_timeout};
     * three copies at once.
     */
    public static RepairSettings forConfig(DfsConfig config) {
        Duration tenBeats = config.heartbeatInterval().multipliedBy(10);
        Duration grace = tenBeats.compareTo(MIN_ORPHAN_GRACE) > 0 ? tenBeats : MIN_ORPHAN_GRACE;
        Duration settle = config.deadAfter().compareTo(config.discoveryTimeout()) > 0 ? config.deadAfter()
                : config.discoveryTimeout();
        return new RepairSettings(config.heartbeatInterval(), grace, settle, 3);
    }

    /** These settings with another orphan grace. */
    public RepairSettings withOrphanGrace(Duration grace) {
        return new RepairSettings(scanInterval, grace, settle, parallelism);
    }
}
