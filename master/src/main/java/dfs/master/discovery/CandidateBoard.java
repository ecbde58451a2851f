package dfs.master.discovery;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The latest verdict for every service instance currently announced, and a way to wait for
 * enough candidates. mDNS callbacks write to it from JmDNS threads while the master reads it.
 *
 * <p>Thread-safe: one lock guards the map; {@link #await} sleeps on a condition signalled
 * whenever a candidate appears or the board is closed, so waiting costs nothing.
 */
final class CandidateBoard {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Keyed by lower-case instance name; insertion order is the order of discovery. */
    private final Map<String, Verdict> verdicts = new LinkedHashMap<>();
    private boolean closed;

    /**
     * Records what a resolution of {@code instance} said. A resolution without TXT never
     * replaces a complete one: JmDNS delivers those interleaved with complete ones.
     *
     * @return whether the instance is still waiting for its TXT record, so the caller should
     *     ask for it again
     */
    boolean offer(String instance, Verdict verdict) {
        Objects.requireNonNull(verdict, "verdict");
        lock.lock();
        try {
            Verdict previous = verdicts.get(key(instance));
            if (verdict instanceof Verdict.WithoutText) {
                if (previous == null || previous instanceof Verdict.WithoutText) {
                    verdicts.put(key(instance), verdict);
                    return true;
                }
                return false;
            }
            verdicts.put(key(instance), verdict);
            changed.signalAll();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Like {@link #offer}, but only for an instance still announced: the answer to a request may
     * arrive after mDNS has reported the instance removed, and must not bring it back.
     */
    boolean offerIfKnown(String instance, Verdict verdict) {
        lock.lock();
        try {
            return verdicts.containsKey(key(instance)) && offer(instance, verdict);
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@code instance} is announced but its TXT record has not been seen yet. */
    boolean awaitsText(String instance) {
        lock.lock();
        try {
            return verdicts.get(key(instance)) instanceof Verdict.WithoutText;
        } finally {
            lock.unlock();
        }
    }

    /** Replaces the verdict only if the instance is still waiting for its TXT record. */
    void rejectIfStillWithoutText(String instance, RejectedAnnouncement rejection) {
        lock.lock();
        try {
            verdicts.computeIfPresent(key(instance), (k, v) ->
                    v instanceof Verdict.WithoutText ? new Verdict.Rejected(rejection) : v);
        } finally {
            lock.unlock();
        }
    }

    /** Forgets {@code instance}: mDNS says it has gone. */
    void remove(String instance) {
        lock.lock();
        try {
            verdicts.remove(key(instance));
        } finally {
            lock.unlock();
        }
    }

    List<Candidate> candidates() {
        lock.lock();
        try {
            return candidatesLocked();
        } finally {
            lock.unlock();
        }
    }

    List<RejectedAnnouncement> rejected() {
        lock.lock();
        try {
            return verdicts.values().stream()
                    .filter(Verdict.Rejected.class::isInstance)
                    .map(v -> ((Verdict.Rejected) v).announcement())
                    .toList();
        } finally {
            lock.unlock();
        }
    }

    /** See {@link Discovery#await}. */
    List<Candidate> await(int count, Duration timeout) {
        checkAwaitArguments(count, timeout);
        long remaining = saturatedNanos(timeout);
        lock.lock();
        try {
            List<Candidate> now = candidatesLocked();
            while (now.size() < count && !closed && remaining > 0) {
                try {
                    remaining = changed.awaitNanos(remaining);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return candidatesLocked();
                }
                now = candidatesLocked();
            }
            return now;
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every waiter for good; the verdicts stay readable. */
    void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    static void checkAwaitArguments(int count, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (count < 0) {
            throw new IllegalArgumentException("cannot wait for " + count + " chunk servers");
        }
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("negative discovery timeout " + timeout);
        }
    }

    private List<Candidate> candidatesLocked() {
        return verdicts.values().stream()
                .filter(Verdict.Accepted.class::isInstance)
                .map(v -> ((Verdict.Accepted) v).candidate())
                .toList();
    }

    private static long saturatedNanos(Duration timeout) {
        try {
            return timeout.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    private static String key(String instance) {
        // DNS names compare without regard to case
        return instance.toLowerCase(Locale.ROOT);
    }
}
