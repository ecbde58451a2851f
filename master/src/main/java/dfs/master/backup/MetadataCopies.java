package dfs.master.backup;

import dfs.common.crypto.MasterKey;
import dfs.common.crypto.MasterKeySet;
import dfs.common.wire.MasterId;
import dfs.common.wire.NodeId;
import dfs.master.cluster.ChunkClient;
import dfs.master.cluster.ChunkServerException;
import dfs.master.cluster.ServerRegistry;
import dfs.master.cluster.ServerStatus;
import dfs.master.metadata.MetadataCopy;
import dfs.master.metadata.MetadataStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a sealed copy of the whole metadata on every live chunk server ({@link MetadataCopy}), so
 * that the master machine's disk is not the one place every file depends on: {@link #recover}
 * fills an empty metadata from the newest copy the servers hold.
 *
 * <p>A copy is sent after the metadata changes, at most as often as keeps the sending under a
 * tenth of the master's time, and when the master closes; a server that holds none gets one as
 * soon as it is seen. A copy found on a server when the master starts counts as current until the
 * metadata changes; if the master started with an empty metadata, such a copy may be the only
 * record of every file, and no copy is sent until {@link #recover} has run. Each copy is marked
 * with this master's id; a server holding a copy marked with another's means the cluster has
 * another master, and this one stores nothing and holds back ({@link #requireNoOtherMaster}).
 * Thread-safe.
 */
public final class MetadataCopies {
    private static final Logger log = LoggerFactory.getLogger(MetadataCopies.class);
    /** Time between copies, as a multiple of what making and sending the last one took. */
    private static final int SPACING = 10;
    /** What a server's copy is known to hold when it holds none. */
    private static final long NONE = -1;

    private final MetadataStore metadata;
    private final ServerRegistry registry;
    private final ChunkClient client;
    private final Supplier<MasterKeySet> keys;
    private final Clock clock;
    /** The metadata's change count when this master started: what a copy found on a server holds. */
    private final long atStart;
    /** Per server: the change count of the copy it holds, as far as this master knows; written under the lock. */
    private final Map<NodeId, Long> held = new ConcurrentHashMap<>();
    /** The servers whose last copy failed, already reported. */
    private final Set<NodeId> failing = ConcurrentHashMap.newKeySet();
    private Instant notBefore = Instant.EPOCH;
    /** Whether the metadata was empty when this master started, and has not been recovered since. */
    private boolean startedEmpty;
    /** See {@link #holdingBack()}; written under this object's lock. */
    private volatile boolean holdingBack;
    /** A server found holding the copy of another master, and that master; null if none was. */
    private volatile String otherMaster;
    /** See {@link #beGuest()}; written under this object's lock. */
    private volatile boolean guest;
    /** Whether every server's copy must be sealed again though the metadata did not change. */
    private boolean reseal;

    public MetadataCopies(MetadataStore metadata, ServerRegistry registry, ChunkClient client,
            Supplier<MasterKeySet> keys, Clock clock) {
        this.metadata = metadata;
        this.registry = registry;
        this.client = client;
        this.keys = keys;
        this.clock = clock;
        this.atStart = metadata.changes();
        this.startedEmpty = metadata.size() == 0;
    }

    /** Sends the copy to every live server that lacks the current one, unless the last was too recent. */
    public synchronized void refresh() {
        if (clock.instant().isBefore(notBefore)) {
            return;
        }
        send(due());
    }

    /** Sends the current copy to every live server behind it if this master changed the metadata: at exit. */
    public synchronized void flush() {
        if (metadata.changes() > atStart || reseal) {
            send(due());
        }
    }

    /**
     * Where the copies stand, for {@code status}.
     *
     * @param live the live servers
     * @param current how many of them hold a copy of the metadata as it is now
     * @param heldBack see {@link #holdingBack()}
     * @param otherMaster when a server holds another master's copy: which server, and whose copy
     */
    public record Standing(int live, int current, boolean heldBack, Optional<String> otherMaster) {}

    /**
     * Where the copies stand now, after sending the current copy to every live server behind it
     * (asking first those not yet asked whether they hold one).
     */
    public synchronized Standing standing() {
        send(due());
        List<ServerStatus> live = registry.live();
        if (holdingBack) {
            return new Standing(live.size(), 0, true, Optional.ofNullable(otherMaster));
        }
        long asked = live.stream().filter(s -> held.containsKey(s.node().orElseThrow())).count();
        return new Standing(live.size(), (int) Math.max(0, asked - due().size()), false, Optional.empty());
    }

    /**
     * Fails, saying why, when a live server holds the metadata copy of another master: that master's
     * healer would delete the chunks of every file this one stores, as chunks it does not know.
     */
    public void requireNoOtherMaster() throws IOException {
        if (guest) {
            return;
        }
        if (!registry.live().stream().allMatch(s -> held.containsKey(s.node().orElseThrow()))) {
            synchronized (this) {
                due(); // asks the servers not asked yet; not under the lock otherwise, which a copy being sent holds
            }
        }
        String other = otherMaster;
        if (other != null) {
            throw new IOException(other + ", so this cluster has another master, whose healer deletes the chunks of"
                    + " files it does not know: nothing was stored; store files from that master's machine (see 'One"
                    + " master per cluster' in the README)");
        }
    }

    /**
     * Makes this master a guest of a cluster that has a master of its own, for files it stores and
     * deletes again itself ({@code dfs bench} on a running cluster): it sends no copy, deletes no
     * orphan, and stores beside another master's copies.
     */
    public synchronized void beGuest() {
        guest = true;
        holdingBack = true;
    }

    /** Has every server's copy sealed again, under the master key now in use (after a rekey). */
    public synchronized void resealAll() {
        held.replaceAll((node, copy) -> NONE);
        reseal = true;
    }

    /** The live servers whose copy is behind the metadata; none while {@link #holdingBack()}. */
    private List<ServerStatus> due() {
        long changes = metadata.changes(); // read often: no copy of the records for it
        boolean empty = metadata.size() == 0;
        List<ServerStatus> live = new ArrayList<>();
        for (ServerStatus server : registry.live()) {
            NodeId node = server.node().orElseThrow();
            if (!held.containsKey(node)) {
                Optional<ChunkClient.HeldCopy> copy;
                try {
                    copy = client.metadataCopyHeld(server.address());
                } catch (ChunkServerException e) {
                    log.debug("metadata copy: cannot ask node {} whether it holds one: {}", node, e.getMessage());
                    continue;
                }
                held.put(node, copy.isPresent() ? atStart : NONE);
                MasterId ours = keys.get().current().id();
                Optional<MasterId> from = copy.flatMap(ChunkClient.HeldCopy::from);
                if (from.isPresent() && !from.get().equals(ours) && otherMaster == null && !guest) {
                    holdingBack = true;
                    otherMaster = server.describe() + " holds the copy of master " + from.get();
                    log.warn("{}, not of this master ({}): a cluster has one master, and two with files of their own"
                            + " delete each other's chunks as orphans; so this master stores no file, deletes no"
                            + " orphan and replaces no copy until it starts again with no other master's copy on the"
                            + " servers (see 'One master per cluster' in the README)", otherMaster, ours);
                } else if (held.get(node) != NONE && startedEmpty && !holdingBack) {
                    holdingBack = true;
                    log.warn("the chunk servers hold a metadata copy, but this master started with an empty"
                            + " metadata: if it was lost, 'recover' restores it; until then no copy is replaced and"
                            + " no chunk is deleted as an orphan");
                }
            }
            live.add(server);
        }
        if (holdingBack) {
            return List.of();
        }
        List<ServerStatus> due = new ArrayList<>();
        for (ServerStatus server : live) {
            long copy = held.get(server.node().orElseThrow());
            // a server without a copy gets one of an empty metadata only to replace one sealed under an old key
            if (copy == NONE ? reseal || !empty : copy < changes) {
                due.add(server);
            }
        }
        return due;
    }

    /**
     * Whether this master found a server holding the copy of another master, whose chunks it must
     * not take for orphans; or started with an empty metadata and found a server holding a copy:
     * that copy may be the only record of every file, so until {@link #recover} no copy is sent,
     * and the healer deletes no chunk as an orphan.
     */
    public boolean holdingBack() {
        return holdingBack;
    }

    private void send(List<ServerStatus> servers) {
        if (servers.isEmpty()) {
            return;
        }
        long t0 = System.nanoTime();
        MetadataStore.State state = metadata.state();
        // under the key in the key file, which the user backed up, during a rekey too
        byte[] sealed = new MetadataCopy(clock.instant(), state.files()).seal(keys.get().current());
        List<CompletableFuture<Boolean>> puts = new ArrayList<>();
        MasterId from = keys.get().current().id();
        for (ServerStatus server : servers) {
            puts.add(client.putMetadataCopy(server.address(), sealed, from).handle((ok, e) -> {
                if (e != null && !failing.contains(server.node().orElseThrow())) { // said once, not every round
                    log.warn("metadata copy: node {} did not take it ({}); sending again later",
                            server.node().orElseThrow(), ChunkClient.unwrap(server.address(), e).getMessage());
                }
                return e == null;
            }));
        }
        for (int i = 0; i < servers.size(); i++) {
            NodeId node = servers.get(i).node().orElseThrow();
            if (puts.get(i).join()) {
                held.put(node, state.changes());
                failing.remove(node);
            } else {
                failing.add(node);
            }
        }
        reseal = reseal && held.values().stream().anyMatch(copy -> copy == NONE);
        long took = System.nanoTime() - t0;
        notBefore = clock.instant().plusNanos(took * SPACING);
        log.debug("metadata copy of {} files ({} bytes) sent to {} servers in {} ms", state.files().size(),
                sealed.length, servers.size(), took / 1_000_000);
    }

    /**
     * What {@link #recover} restored, and from where.
     *
     * @param holders the servers that held the copy restored
     * @param older the servers that held an older copy, each as "host:port (written ..., N files)"
     * @param problems copies that could not be fetched or opened, one line each
     */
    public record Recovered(MetadataCopy copy, List<String> holders, List<String> older, List<String> problems) {
        public Recovered {
            holders = List.copyOf(holders);
            older = List.copyOf(older);
            problems = List.copyOf(problems);
        }
    }

    /** Fails, saying what to do, unless the metadata is empty: {@link #recover} fills only an empty one. */
    public void requireEmpty() throws IOException {
        int stored = metadata.size();
        if (stored > 0) {
            throw new IOException("the metadata already holds " + stored + (stored == 1 ? " file" : " files")
                    + "; recover only fills an empty one (move the metadata file and its .journal aside first)");
        }
    }

    /**
     * Fills the empty metadata from the newest copy the live chunk servers hold that opens with
     * {@code masterKeys}.
     *
     * @throws IOException when the metadata is not empty, no live server holds a copy, or none opens
     */
    public Recovered recover(MasterKeySet masterKeys) throws IOException {
        requireEmpty();
        List<ServerStatus> live = registry.live();
        if (live.isEmpty()) {
            throw new IOException("no live chunk server to recover the metadata from; start them with this"
                    + " dfs_setup.config");
        }
        record Found(MetadataCopy copy, String server) {}
        List<Found> found = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int without = 0;
        for (ServerStatus server : live) {
            String where = ChunkClient.format(server.address());
            try {
                Optional<byte[]> sealed = client.metadataCopy(server.address());
                if (sealed.isEmpty()) {
                    without++;
                    continue;
                }
                found.add(new Found(MetadataCopy.open(masterKeys, sealed.get(), "the metadata copy on " + where),
                        where));
            } catch (IOException e) {
                problems.add(e.getMessage());
            }
        }
        if (found.isEmpty()) {
            throw new IOException(problems.isEmpty()
                    ? "none of the " + live.size() + " live chunk servers holds a metadata copy"
                    : problems.get(0) + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : "")
                            + (without > 0 ? "; " + without + " more servers hold no copy" : ""));
        }
        Found newest = found.stream().max(Comparator.comparing(f -> f.copy().written())).orElseThrow();
        List<String> holders = found.stream().filter(f -> f.copy().written().equals(newest.copy().written()))
                .map(Found::server).toList();
        List<String> older = found.stream().filter(f -> f.copy().written().isBefore(newest.copy().written()))
                .map(f -> f.server() + " (written " + f.copy().written() + ", " + f.copy().files().size() + " files)")
                .toList();
        metadata.restore(newest.copy().files());
        synchronized (this) {
            held.clear(); // the servers' copies are now the metadata's, or older: ask again
            holdingBack = false;
            otherMaster = null;
            startedEmpty = false; // a copy found from now on is no reason to hold back
        }
        return new Recovered(newest.copy(), holders, older, problems);
    }
}
