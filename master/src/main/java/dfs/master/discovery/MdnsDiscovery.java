package dfs.master.discovery;

import dfs.common.wire.Protocol;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceEvent;
import javax.jmdns.ServiceInfo;
import javax.jmdns.ServiceListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds chunk servers by browsing mDNS for {@link Protocol#SERVICE_TYPE} with JmDNS, bound to
 * one explicit IPv4 address (see {@link LanAddress}) so that it never wanders onto an interface
 * nobody chose.
 *
 * <p>The candidate list follows what mDNS says, nothing more: an announcement joins it once it
 * has been resolved with TXT properties naming this cluster and protocol version, and leaves it
 * when mDNS reports the service removed. A server killed without saying goodbye stays until its
 * records expire; telling live servers from dead ones is the health checks' job.
 *
 * <p>JmDNS may report a service resolved before its TXT record has arrived, and may repeat a
 * TXT-less resolution after a complete one. A TXT-less resolution therefore never overrides a
 * complete one, and while an instance has none, its info is requested again a few times before
 * it is listed as rejected.
 *
 * <p>Thread-safe. JmDNS delivers events on its own threads; TXT re-requests run on a small
 * daemon pool of this class, since a request blocks until the data arrives.
 */
public final class MdnsDiscovery implements Discovery {
    private static final Logger log = LoggerFactory.getLogger(MdnsDiscovery.class);

    /** Host name JmDNS uses for itself; the master announces no service. */
    static final String JMDNS_NAME = "dfs-master";
    /** How often, and how far apart, to ask again for an instance's TXT record. */
    static final int TEXT_ATTEMPTS = 5;
    static final Duration TEXT_RETRY_DELAY = Duration.ofSeconds(1);
    /** How long one request waits for JmDNS to have the instance's data. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);

    private final InetAddress address;
    private final JmDNS jmdns;
    private final AnnouncementFilter filter;
    private final CandidateBoard board = new CandidateBoard();
    private final Listener listener = new Listener();
    private final ScheduledExecutorService requests;
    /** Instances with a TXT request chain running, so each has at most one. */
    private final Set<String> requesting = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();

    private MdnsDiscovery(InetAddress address, JmDNS jmdns, AnnouncementFilter filter) {
        this.address = address;
        this.jmdns = jmdns;
        this.filter = filter;
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(2, runnable -> {
            Thread thread = new Thread(runnable, "dfs-mdns-request");
            thread.setDaemon(true);
            return thread;
        });
        pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.requests = pool;
    }

    /**
     * Starts browsing for chunk servers of one cluster.
     *
     * @param lanAddress the local IPv4 address to run mDNS on; see {@link LanAddress#resolve}
     * @param clusterFingerprint the fingerprint of this cluster's CA, as chunk servers announce
     *     it in TXT key {@link Protocol#TXT_CLUSTER}
     * @throws IllegalArgumentException if the address is not IPv4 or the fingerprint is blank
     * @throws IOException naming the address if JmDNS cannot start on it
     */
    public static MdnsDiscovery start(InetAddress lanAddress, String clusterFingerprint)
            throws IOException {
        if (!(lanAddress instanceof Inet4Address)) {
            throw new IllegalArgumentException("mDNS discovery runs on an IPv4 address, not "
                    + lanAddress);
        }
        AnnouncementFilter filter = new AnnouncementFilter(clusterFingerprint);
        JmDNS jmdns;
        try {
            jmdns = JmDNS.create(lanAddress, JMDNS_NAME);
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot start mDNS on " + lanAddress.getHostAddress() + ": " + e
                    + "; check bind_address in dfs_setup.config", e);
        }
        MdnsDiscovery discovery = new MdnsDiscovery(lanAddress, jmdns, filter);
        try {
            // registered only once fully constructed: JmDNS calls back at once for cached services
            jmdns.addServiceListener(Protocol.SERVICE_TYPE, discovery.listener);
        } catch (RuntimeException e) {
            discovery.close();
            throw e;
        }
        log.debug("browsing mDNS for {} on {}", Protocol.SERVICE_TYPE, lanAddress.getHostAddress());
        return discovery;
    }

    @Override
    public List<Candidate> candidates() {
        return board.candidates();
    }

    @Override
    public List<Candidate> await(int count, Duration timeout) {
        return board.await(count, timeout);
    }

    @Override
    public List<RejectedAnnouncement> rejected() {
        return board.rejected();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        board.close();
        jmdns.removeServiceListener(Protocol.SERVICE_TYPE, listener);
        requests.shutdownNow();
        // A browser has nothing to withdraw, and JmDNS takes about 2 s to shut down: let it finish
        // on a daemon thread so a one-shot command exits at once.
        Thread closer = new Thread(() -> {
            try {
                jmdns.close();
            } catch (IOException | RuntimeException e) {
                log.warn("closing mDNS on {} failed: {}", address.getHostAddress(), e.toString());
            }
        }, "dfs-mdns-close");
        closer.setDaemon(true);
        closer.start();
    }

    /** The local IPv4 address mDNS runs on. */
    public InetAddress address() {
        return address;
    }

    @Override
    public String toString() {
        return "MdnsDiscovery on " + address.getHostAddress();
    }

    /** Judges a resolution reported by JmDNS: evidence in itself that the instance exists. */
    private void resolved(ServiceInfo info) {
        Verdict verdict = filter.judge(announcement(info));
        log.debug("mDNS resolved {}: {}", info.getName(), verdict);
        if (board.offer(info.getName(), verdict)) {
            startRequesting(info.getName());
        }
    }

    private void startRequesting(String instance) {
        if (requesting.add(key(instance))) {
            schedule(instance, 1, Duration.ZERO);
        }
    }

    private void schedule(String instance, int attempt, Duration delay) {
        try {
            requests.schedule(() -> request(instance, attempt), delay.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            requesting.remove(key(instance));
        }
    }

    /** One request for the instance's full info; chains the next one while TXT is missing. */
    private void request(String instance, int attempt) {
        if (stillWithoutText(instance)) {
            try {
                // blocks until JmDNS has address, port and some TXT, or the timeout passes
                ServiceInfo info = jmdns.getServiceInfo(Protocol.SERVICE_TYPE, instance,
                        REQUEST_TIMEOUT.toMillis());
                if (info != null) {
                    Verdict verdict = filter.judge(announcement(info));
                    log.debug("mDNS request {} for {}: {}", attempt, instance, verdict);
                    board.offerIfKnown(instance, verdict);
                }
            } catch (RuntimeException e) {
                // inside the executor an exception would vanish; say what happened, go on
                log.debug("mDNS request {} for {} failed: {}", attempt, instance, e.toString());
            }
            if (stillWithoutText(instance)) {
                if (attempt < TEXT_ATTEMPTS) {
                    schedule(instance, attempt + 1, TEXT_RETRY_DELAY);
                    return;
                }
                board.rejectIfStillWithoutText(instance, new RejectedAnnouncement(instance,
                        Optional.empty(), Optional.empty(),
                        "announces no TXT record after " + attempt + " requests"));
            }
        }
        requesting.remove(key(instance));
        // the instance may have been announced anew after the check above, and found this chain
        // still running: then it needs a chain of its own
        if (stillWithoutText(instance)) {
            startRequesting(instance);
        }
    }

    private boolean stillWithoutText(String instance) {
        return !closed.get() && board.awaitsText(instance);
    }

    /** Just the facts the filter needs: IPv4 addresses only, TXT keys in lower case. */
    static Announcement announcement(ServiceInfo info) {
        Map<String, String> text = new HashMap<>();
        for (String name : Collections.list(info.getPropertyNames())) {
            String value = info.getPropertyString(name);
            text.putIfAbsent(name.toLowerCase(Locale.ROOT), value == null ? "" : value);
        }
        Inet4Address[] addresses = info.getInet4Addresses();
        return new Announcement(info.getName(),
                addresses == null ? List.of() : Arrays.asList(addresses), info.getPort(), text);
    }

    private static String key(String instance) {
        return instance.toLowerCase(Locale.ROOT);
    }

    /** Keeps the board in step with JmDNS's events for the chunk-server service type. */
    private final class Listener implements ServiceListener {
        @Override
        public void serviceAdded(ServiceEvent event) {
            log.debug("mDNS added {}", event.getName());
            // known but without TXT until resolved; then ask for the rest
            if (board.offer(event.getName(), new Verdict.WithoutText())) {
                startRequesting(event.getName());
            }
        }

        @Override
        public void serviceResolved(ServiceEvent event) {
            ServiceInfo info = event.getInfo();
            if (info != null) {
                resolved(info);
            }
        }

        @Override
        public void serviceRemoved(ServiceEvent event) {
            log.debug("mDNS removed {}", event.getName());
            board.remove(event.getName());
        }
    }
}
