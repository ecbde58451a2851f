package dfs.master.repair;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The result of one check of every file: a verdict per file, every damaged chunk with the state
 * of each of its replicas, and the stray copies seen on live servers. Immutable.
 *
 * @param at when the check started
 * @param deep whether replicas were fetched and hashed, or only looked up in listings
 * @param replicationFactor the number of good replicas a chunk should have
 * @param liveServers how many servers were live (and listed) during the check
 * @param files one report per file, sorted by name
 * @param strays chunks live servers hold without being recorded for them
 * @param crowded chunks whose copies are all good but share a machine while a live machine holds
 *     none of them (see {@link dfs.master.placement.ReplicaPlacement#machine}): one copy should move
 */
public record FsckReport(Instant at, boolean deep, int replicationFactor, int liveServers, List<FileReport> files,
        List<StrayCopy> strays, List<ChunkReport> crowded) {
    public FsckReport {
        Objects.requireNonNull(at, "at");
        files = List.copyOf(files);
        strays = List.copyOf(strays);
        crowded = List.copyOf(crowded);
    }

    /** Every file is healthy. */
    public boolean healthy() {
        return files.stream().allMatch(f -> f.state() == FileState.HEALTHY);
    }

    public long count(FileState state) {
        return files.stream().filter(f -> f.state() == state).count();
    }

    /** Every chunk that needs attention, file by file, in order. */
    public List<ChunkReport> damagedChunks() {
        return files.stream().flatMap(f -> f.damaged().stream()).toList();
    }

    /** Chunks with fewer than {@link #replicationFactor} good replicas (lost ones included). */
    public int underReplicatedChunks() {
        return (int) damagedChunks().stream().filter(c -> c.underReplicated(replicationFactor)).count();
    }

    /** The report as a person reads it: a summary line, then one line per damaged replica. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add(String.format("fsck (%s, %d live server%s): %d file%s: %d healthy, %d under-replicated, %d corrupt, %d lost",
                deep ? "deep: every replica fetched and hashed" : "listing", liveServers, liveServers == 1 ? "" : "s",
                files.size(), files.size() == 1 ? "" : "s", count(FileState.HEALTHY), count(FileState.UNDER_REPLICATED),
                count(FileState.CORRUPT), count(FileState.LOST)));
        for (FileReport f : files) {
            for (ChunkReport c : f.damaged()) {
                String copies = c.goodCount() + "/" + replicationFactor + " good";
                for (ReplicaReport r : c.replicas()) {
                    if (!r.isGood()) {
                        out.add(String.format("  %-16s %s chunk %d (%s) node %s: %s: %s [%s]", f.state().label(), f.name(),
                                c.chunk().index(), c.chunk().id(), r.node(), r.state().name().toLowerCase(java.util.Locale.ROOT),
                                r.detail(), copies));
                    }
                }
                if (c.replicas().stream().allMatch(ReplicaReport::isGood)) {
                    out.add(String.format("  %-16s %s chunk %d (%s): only %s", f.state().label(), f.name(),
                            c.chunk().index(), c.chunk().id(), copies));
                }
            }
        }
        long orphans = strays.stream().filter(StrayCopy::orphan).count();
        out.add(String.format("%d chunk%s under-replicated; %d orphan chunk%s and %d extra cop%s on live servers",
                underReplicatedChunks(), underReplicatedChunks() == 1 ? "" : "s", orphans, orphans == 1 ? "" : "s",
                strays.size() - orphans, strays.size() - orphans == 1 ? "y" : "ies"));
        if (!crowded.isEmpty()) {
            out.add(String.format("%d chunk%s ha%s copies sharing a machine while a live machine holds none of them;"
                    + " the healer moves a copy there", crowded.size(), crowded.size() == 1 ? "" : "s",
                    crowded.size() == 1 ? "s" : "ve"));
        }
        return out;
    }
}
