package dfs.master.repair;

/** What a check found of one recorded replica of a chunk. */
public enum ReplicaState {
    /** Present (and, in a deep check, its bytes match the recorded SHA-256). */
    GOOD,
    /** Its server is live but does not hold it (deleted, or moved aside by the server's scrubber). */
    MISSING,
    /** Present but its bytes (or its size) differ from what the metadata recorded. */
    CORRUPT,
    /** Its server is suspect, dead, unknown, or did not answer: nothing is known of the replica. */
    UNREACHABLE
}
