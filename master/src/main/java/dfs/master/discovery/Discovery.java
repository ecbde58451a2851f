package dfs.master.discovery;

import java.time.Duration;
import java.util.List;

/**
 * Where the master learns which chunk servers may exist: by mDNS ({@link MdnsDiscovery}) or
 * from a configured list ({@link StaticDiscovery}). The rest of the master sees only this.
 *
 * <p>Discovery suggests, it does not vouch: every {@link Candidate} must still prove its
 * membership over mutual TLS, and whether it is alive is for health checks to decide. The
 * candidate list follows what the source currently says, so it may hold servers that have died
 * but are still cached, and it may briefly miss servers that have just started.
 *
 * <p>Implementations are thread-safe: any thread may call any method, also while another thread
 * waits in {@link #await}.
 */
public interface Discovery extends AutoCloseable {

    /** The candidates known now, in the order they were found; an immutable snapshot. */
    List<Candidate> candidates();

    /**
     * Waits until at least {@code count} candidates are known, or {@code timeout} has passed, or
     * this discovery is closed, whichever comes first, and returns the candidates known then
     * (possibly fewer than {@code count}). Returns at once when {@code count} are already known.
     * If the calling thread is interrupted it returns early with what is known, leaving the
     * thread's interrupt status set.
     *
     * @throws IllegalArgumentException if {@code count} or {@code timeout} is negative
     */
    List<Candidate> await(int count, Duration timeout);

    /**
     * Announcements of the chunk-server service that are not candidates (another cluster,
     * another protocol version, malformed), with the reason; an immutable snapshot. Always empty
     * for sources that cannot tell, such as a static list.
     */
    List<RejectedAnnouncement> rejected();

    /** Stops discovering and wakes any thread in {@link #await}. Idempotent; never throws. */
    @Override
    void close();
}
