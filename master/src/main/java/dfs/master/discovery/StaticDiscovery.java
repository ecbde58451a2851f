package dfs.master.discovery;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Discovery from a fixed list of addresses, for networks without multicast and for tests. The
 * list never changes, so {@link #await} never has anything to wait for and returns at once.
 * Addresses are kept exactly as given; unresolved host names are resolved when the master
 * connects, so a server whose name moves to a new address is still found.
 *
 * <p>Immutable and thread-safe.
 */
public final class StaticDiscovery implements Discovery {
    private final List<Candidate> candidates;

    /**
     * @param addresses the chunk servers' addresses, each with a port; no duplicates
     * @throws IllegalArgumentException naming the address if one has no port or appears twice
     */
    public StaticDiscovery(List<InetSocketAddress> addresses) {
        Objects.requireNonNull(addresses, "addresses");
        Set<InetSocketAddress> seen = new HashSet<>();
        for (InetSocketAddress address : addresses) {
            Objects.requireNonNull(address, "static chunk server address");
            if (!seen.add(address)) {
                throw new IllegalArgumentException("chunk server " + address
                        + " is listed twice; list each server once");
            }
        }
        this.candidates = addresses.stream().map(Candidate::ofStatic).toList();
    }

    @Override
    public List<Candidate> candidates() {
        return candidates;
    }

    @Override
    public List<Candidate> await(int count, Duration timeout) {
        CandidateBoard.checkAwaitArguments(count, timeout);
        return candidates;
    }

    @Override
    public List<RejectedAnnouncement> rejected() {
        return List.of();
    }

    @Override
    public void close() {
        // nothing is running
    }

    @Override
    public String toString() {
        return "StaticDiscovery" + candidates.stream().map(c -> c.address().toString()).toList();
    }
}
