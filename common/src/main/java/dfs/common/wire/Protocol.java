package dfs.common.wire;

/**
 * The chunk server's HTTPS protocol, shared by both ends. Every request travels over mutual TLS
 * with certificates issued under the cluster CA (see {@code dfs.common.tls.ClusterTls}).
 *
 * <pre>
 * PUT    /v1/chunks/{id}   body: the sealed chunk; header X-Dfs-Sha256: hex SHA-256 of the body;
 *                          optional header X-Dfs-Forward: servers to pass the chunk on to
 *                          201 StoredChunk (new), 200 StoredChunk (same bytes already stored),
 *                          400 bad id/hash/length/forward, 411 no length, 409 a different chunk has that id,
 *                          413 larger than the server accepts, 507 disk full
 * GET    /v1/chunks/{id}   200 the stored bytes, header X-Dfs-Sha256 as recorded at store time; 404
 * HEAD   /v1/chunks/{id}   as GET, without the bytes
 * DELETE /v1/chunks/{id}   204; 404 when absent
 * POST   /v1/chunk-deletions body: ChunkDeletion, 1 to 1000 chunk ids; 200 ChunkDeletion.Result once
 *                          every deletion is durable, 400 a bad body (404 from a server older than it)
 * GET    /v1/chunks        200 ChunkListing
 * GET    /v1/health        200 HealthReport
 * PUT    /v1/metadata-copy body: the master's sealed copy of its metadata, opaque to the server;
 *                          header X-Dfs-Master-Id: the sending master's id (optional);
 *                          replaces the copy held before; 204, 411 no length, 400 short or
 *                          long body or bad id, 413 larger than {@link #MAX_METADATA_COPY_BYTES}, 507 disk full
 * GET    /v1/metadata-copy 200 the copy last stored, header X-Dfs-Master-Id as it was sent; 404 when none is
 * HEAD   /v1/metadata-copy as GET, without the bytes
 * PUT    /v1/draining      no body; 204: the server is drained, restarts too, until a DELETE (its health says so)
 * DELETE /v1/draining      204: the server is no longer drained
 * </pre>
 * Every error answer is an {@link ErrorBody}.
 */
public final class Protocol {
    private Protocol() {}

    /** Version of this protocol; announced over mDNS and in {@link HealthReport}. */
    public static final int VERSION = 1;

    public static final String CHUNKS_PATH = "/v1/chunks";
    public static final String HEALTH_PATH = "/v1/health";
    /** Deleting many chunks in one request ({@link ChunkDeletion}). */
    public static final String CHUNK_DELETIONS_PATH = "/v1/chunk-deletions";

    /** Header carrying the lowercase hex SHA-256 of a chunk's stored bytes. */
    public static final String SHA256_HEADER = "X-Dfs-Sha256";

    /**
     * Header carrying the CRC-32C of a chunk's body ({@link Crc32c}), computed by the sender when it
     * hashed the chunk. A server given one checks the body against it on arrival and records the
     * {@link #SHA256_HEADER} as claimed, which spares it a SHA-256 of every byte it stores; without
     * one it checks the SHA-256 itself, as it always did. The sender's own checks hold either way:
     * it verifies every chunk it fetches (SHA-256 and AES-GCM), and the scrubber re-hashes stored
     * chunks. A server passing a chunk on passes this header on unchanged.
     */
    public static final String CRC32C_HEADER = "X-Dfs-Crc32c";

    /**
     * Query parameter of a HEAD of a chunk, {@code verify=sha256}: re-hash the stored payload before
     * answering, and answer 409 when it does not match the recorded SHA-256. The master asks it of
     * a replica another server passed on, which could have altered the bytes and given a
     * CRC-32C to match.
     */
    public static final String VERIFY_QUERY = "verify";

    /**
     * Header asking a chunk server to pass the chunk it stores on (pipelined replication):
     * {@code node@host:port} hops, comma-separated ({@link ForwardHop}). The server streams the
     * body to the first hop while storing it, naming the remaining hops in the same header, so
     * the sender's link carries each chunk once however many replicas it gets. Its answer lists
     * the hops that stored the chunk ({@link StoredChunk#forwardedTo()}); a hop that could not be
     * reached only shortens that list, and the sender stores the missing replicas itself.
     */
    public static final String FORWARD_HEADER = "X-Dfs-Forward";

    /** Largest chunk body a chunk server accepts: the largest configurable chunk plus sealing overhead. */
    public static final long MAX_CHUNK_BYTES = 64L * 1024 * 1024 + 1024;

    /**
     * Where a chunk server keeps the one copy of the master's metadata it is given: sealed by the
     * master under a key only it holds, so the server learns nothing from it but its size. With a
     * copy on every server, losing the master machine's disk loses no file (see {@code dfs recover}).
     */
    public static final String METADATA_COPY_PATH = "/v1/metadata-copy";

    /**
     * PUT (no body, answered 204) marks a chunk server drained, in its storage folder, so that
     * restarts keep it: its copies are being moved to the other servers ({@code dfs drain}), and its
     * health report says so ({@link HealthReport#draining()}), so that no master places new copies
     * on it. DELETE (answered 204) takes it back ({@code dfs drain --undo}).
     */
    public static final String DRAINING_PATH = "/v1/draining";

    /**
     * Header naming the master a metadata copy is from ({@link MasterId}): sent with the copy, kept
     * with it, and answered with it, so that a master can tell its own copies from another's.
     */
    public static final String MASTER_ID_HEADER = "X-Dfs-Master-Id";

    /** Largest metadata copy a chunk server accepts (a million files' metadata, compressed, is far less). */
    public static final long MAX_METADATA_COPY_BYTES = 256L * 1024 * 1024;

    /** mDNS service type chunk servers announce. */
    public static final String SERVICE_TYPE = "_dfs-chunk._tcp.local.";

    /** TXT record keys of the mDNS announcement. None of them carries a secret. */
    public static final String TXT_NODE = "node";
    public static final String TXT_PROTOCOL = "proto";
    public static final String TXT_PORT = "port";
    /** Fingerprint of the cluster CA's public key: tells clusters apart, reveals nothing secret. */
    public static final String TXT_CLUSTER = "cluster";

    public static String chunkPath(ChunkId id) {
        return CHUNKS_PATH + "/" + id.hex();
    }
}
