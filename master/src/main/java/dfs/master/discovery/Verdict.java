package dfs.master.discovery;

import java.util.Objects;

/** What one resolution of an mDNS announcement says about that service instance. */
sealed interface Verdict {

    /** A server of this cluster speaking this protocol. */
    record Accepted(Candidate candidate) implements Verdict {
        public Accepted {
            Objects.requireNonNull(candidate, "candidate");
        }
    }

    /** A chunk-server announcement that is not a candidate, with the reason. */
    record Rejected(RejectedAnnouncement announcement) implements Verdict {
        public Rejected {
            Objects.requireNonNull(announcement, "announcement");
        }
    }

    /**
     * Resolved without TXT properties. JmDNS reports this before the TXT record has arrived, so
     * it means "not known yet", never "changed to nothing".
     */
    record WithoutText() implements Verdict {}
}
