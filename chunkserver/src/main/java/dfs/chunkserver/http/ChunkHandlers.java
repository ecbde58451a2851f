package dfs.chunkserver.http;

import dfs.chunkserver.forward.ChunkForwarder;
import dfs.chunkserver.store.ChunkStore;
import dfs.chunkserver.store.DirectBuffers;
import dfs.chunkserver.store.DiskFullException;
import dfs.chunkserver.store.OpenChunk;
import dfs.chunkserver.store.PutResult;
import dfs.chunkserver.store.VerifyResult;
import com.fasterxml.jackson.core.JsonProcessingException;
import dfs.common.Version;
import dfs.common.json.Json;
import dfs.common.wire.ChunkDeletion;
import dfs.common.wire.ChunkId;
import dfs.common.wire.ChunkListing;
import dfs.common.wire.Crc32c;
import dfs.common.wire.ForwardHop;
import dfs.common.wire.HealthReport;
import dfs.common.wire.MasterId;
import dfs.common.wire.Protocol;
import io.javalin.http.Context;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.ByteBuffer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.HttpOutput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The endpoints of {@link Protocol}: validate the request, call the store, answer. Bodies are
 * streamed between socket and disk, never held whole in memory. Failures are thrown and answered
 * by {@link ErrorAnswers}. Thread-safe.
 */
final class ChunkHandlers {
    private static final Logger LOG = LoggerFactory.getLogger(ChunkHandlers.class);
    static final String ID_PARAM = "id";
    private static final String OCTETS = "application/octet-stream";
    /**
     * Uploads averaging less than this after {@link #RATE_GRACE} are cut (408), so a client
     * trickling a byte now and then cannot hold a connection and a thread forever by staying just
     * inside the idle timeout. A 64 MiB chunk at this floor still has over an hour.
     */
    static final long MIN_UPLOAD_BYTES_PER_SECOND = 16 * 1024;
    static final java.time.Duration RATE_GRACE = java.time.Duration.ofSeconds(10);

    /** Room for a chunk deletion's JSON: its most ids, quoted, with commas, and a little more. */
    static final int MAX_DELETION_BYTES = ChunkDeletion.MAX_IDS * 40 + 1024;
    /** Bytes read from disk and handed to the connection at a time when serving a file. */
    private static final int SEND_SLICE = 256 * 1024;
    /** Idle send buffers kept for the next GETs; allocating one costs more than sending 256 KiB. */
    private static final int SEND_BUFFERS_KEPT = 8;

    private final ChunkStore store;
    private final ChunkForwarder forwarder;
    private final DirectBuffers sendBuffers = new DirectBuffers(SEND_SLICE, SEND_BUFFERS_KEPT);

    ChunkHandlers(ChunkStore store, ChunkForwarder forwarder) {
        this.store = store;
        this.forwarder = forwarder;
    }

    /**
     * PUT /v1/chunks/{id}: 201 new, 200 already stored with the same bytes; passed on to the
     * servers the forward header names, if any ({@link ChunkForwarder}).
     */
    void put(Context ctx) throws IOException {
        ChunkId id = chunkId(ctx);
        long length = declaredLength(ctx, "chunk " + id);
        String sha256 = ctx.header(Protocol.SHA256_HEADER);
        if (sha256 == null) {
            throw new ApiException(400, "missing_hash", "PUT of chunk " + id + " needs the "
                    + Protocol.SHA256_HEADER + " header with the SHA-256 of the body");
        }
        if (!ChunkStore.isSha256Hex(sha256)) {
            throw new ApiException(400, "bad_hash", "header " + Protocol.SHA256_HEADER + " '"
                    + ErrorAnswers.printable(sha256) + "' is not a SHA-256: expected 64 lowercase hex digits");
        }
        String crc32c = ctx.header(Protocol.CRC32C_HEADER);
        if (crc32c != null && !Crc32c.isHex(crc32c)) {
            throw new ApiException(400, "bad_checksum", "header " + Protocol.CRC32C_HEADER + " '"
                    + ErrorAnswers.printable(crc32c) + "' is not a CRC-32C: expected 8 lowercase hex digits");
        }
        List<ForwardHop> hops = forwardHops(ctx, id);
        // Straight from the socket: the store reads exactly `length` bytes and checks them as it writes.
        PutResult result = storeBody(ctx, "the body of chunk " + id, body -> !hops.isEmpty()
                ? forwarder.put(id, sha256, crc32c, length, body, hops)
                : store.put(id, sha256, crc32c, length, body));
        ctx.status(result.existed() ? 200 : 201).json(result.chunk());
    }

    /**
     * PUT /v1/metadata-copy: 204 once the master's sealed copy replaced the one held before, kept
     * with the sender's id when it gave one. Refused unread (413) when longer than the protocol
     * allows, and (400) when the id is malformed.
     */
    void putMetadataCopy(Context ctx) throws IOException {
        long length = declaredLength(ctx, "the metadata copy");
        if (length > Protocol.MAX_METADATA_COPY_BYTES) {
            throw new ApiException(413, "metadata_copy_too_large", "the metadata copy is " + length
                    + " bytes, more than the " + Protocol.MAX_METADATA_COPY_BYTES
                    + " bytes a chunk server keeps; nothing stored");
        }
        String sender = ctx.header(Protocol.MASTER_ID_HEADER);
        if (sender != null && !MasterId.isValid(sender)) {
            throw new ApiException(400, "bad_master_id", "header " + Protocol.MASTER_ID_HEADER + " '"
                    + ErrorAnswers.printable(sender) + "' is not a master id: expected 32 lowercase hex digits");
        }
        Optional<MasterId> master = Optional.ofNullable(sender).map(MasterId::parse);
        storeBody(ctx, "the metadata copy", body -> {
            store.metadataCopy().replace(length, body, master);
            return null;
        });
        ctx.status(204);
    }

    /** The Content-Length of a PUT of {@code what}; 411 without one. */
    private static long declaredLength(Context ctx, String what) {
        long length = ctx.req().getContentLengthLong();
        if (length < 0) {
            throw new ApiException(411, "length_required", "PUT of " + what
                    + " needs a Content-Length header; chunked uploads are not accepted");
        }
        return length;
    }

    /** Stores a request body: a chunk, here or also on the next servers, or the metadata copy. */
    @FunctionalInterface
    private interface BodyStore<T> {
        T store(InputStream body) throws IOException;
    }

    /**
     * Hands the request body of a PUT of {@code what} to {@code storing}, straight from the socket
     * but cut when it trickles ({@link MinimumRateInputStream}).
     */
    private static <T> T storeBody(Context ctx, String what, BodyStore<T> storing) throws IOException {
        InputStream body = new MinimumRateInputStream(ctx.req().getInputStream(), MIN_UPLOAD_BYTES_PER_SECOND,
                RATE_GRACE.toNanos(), System::nanoTime, what);
        try {
            return storing.store(body);
        } catch (DiskFullException full) {
            // Refused before the body was read: a sender still writing it would see the connection
            // closed under its write ("broken pipe"), never this answer. The body is bounded by the
            // protocol's limits (a chunk, or a metadata copy).
            drain(body);
            throw full;
        }
    }

    /** Reads {@code body} to its end, keeping nothing; a body that breaks off ends it too. */
    private static void drain(InputStream body) {
        byte[] scratch = new byte[64 * 1024];
        try {
            while (body.read(scratch) >= 0) {
                // discarded
            }
        } catch (IOException broken) {
            // the answer goes out all the same, if the connection still takes it
        }
    }

    /** The servers a PUT asks this one to pass its chunk on to: none without the header. */
    private List<ForwardHop> forwardHops(Context ctx, ChunkId id) {
        String header = ctx.header(Protocol.FORWARD_HEADER);
        if (header == null) {
            return List.of();
        }
        List<ForwardHop> hops;
        try {
            hops = ForwardHop.parseAll(header);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "bad_forward", "header " + Protocol.FORWARD_HEADER + " of the PUT of chunk "
                    + id + " is malformed: " + ErrorAnswers.printable(e.getMessage()));
        }
        if (hops.stream().anyMatch(hop -> hop.node().equals(store.nodeId()))) {
            throw new ApiException(400, "bad_forward", "header " + Protocol.FORWARD_HEADER + " of the PUT of chunk "
                    + id + " names this server (node " + store.nodeId() + ") itself: a chunk is stored once per server");
        }
        return hops;
    }

    /** GET /v1/chunks/{id}: the stored bytes with their recorded hash. */
    void get(Context ctx) throws IOException {
        try (OpenChunk chunk = openAnswering(ctx)) {
            // Written directly to the servlet response, past Javalin's result buffering: the length
            // is known up front, so the body streams from disk with a fixed Content-Length. The file
            // is read into a direct buffer that TLS encrypts from, with no copy through the heap,
            // in slices large enough to pass Jetty's aggregation buffer by.
            send(chunk.payload(), chunk.length(), "chunk " + chunk.id(), ctx.res().getOutputStream());
            ctx.res().flushBuffer();
        }
    }

    /**
     * HEAD /v1/chunks/{id}: the length and recorded hash of a stored chunk without its bytes, so
     * a sender can confirm a replica another server passed on without trusting that server. With
     * {@code ?verify=sha256} the payload is re-hashed first: 409 when it does not match, and the
     * copy is quarantined at once, as the scrubber would, so that it reads as missing and the
     * master's own copy replaces it.
     */
    void head(Context ctx) throws IOException {
        String verify = ctx.queryParam(Protocol.VERIFY_QUERY);
        if (verify != null) {
            if (!verify.equals("sha256")) {
                throw new ApiException(400, "bad_verify", "query " + Protocol.VERIFY_QUERY + "='"
                        + ErrorAnswers.printable(verify) + "' is not a check this server makes: use verify=sha256");
            }
            ChunkId id = chunkId(ctx);
            VerifyResult result = store.verify(id);
            if (result.status() == VerifyResult.Status.CORRUPT) {
                store.quarantine(id);
                throw new ApiException(409, "corrupt_chunk", result.detail());
            }
        }
        openAnswering(ctx).close();
    }

    /** Opens the chunk a GET or HEAD names and sets the answer's status and headers; 404 when absent. */
    private OpenChunk openAnswering(Context ctx) throws IOException {
        ChunkId id = chunkId(ctx);
        Optional<OpenChunk> opened = store.open(id);
        if (opened.isEmpty()) {
            throw notFound(id);
        }
        OpenChunk chunk = opened.get();
        HttpServletResponse res = ctx.res();
        res.setStatus(200);
        res.setContentType(OCTETS);
        res.setContentLengthLong(chunk.length());
        res.setHeader(Protocol.SHA256_HEADER, chunk.sha256());
        return chunk;
    }

    /**
     * GET /v1/metadata-copy: the copy last stored, as it was stored; 404 when none is. Streamed
     * from disk as chunks are ({@link #get}).
     */
    void getMetadataCopy(Context ctx) throws IOException {
        try (FileChannel copy = openMetadataCopyAnswering(ctx)) {
            send(copy, copy.size(), "the metadata copy", ctx.res().getOutputStream());
            ctx.res().flushBuffer();
        }
    }

    /** HEAD /v1/metadata-copy: the length of the copy held, without its bytes; 404 when none is. */
    void headMetadataCopy(Context ctx) throws IOException {
        openMetadataCopyAnswering(ctx).close();
    }

    private FileChannel openMetadataCopyAnswering(Context ctx) throws IOException {
        Optional<FileChannel> opened = store.metadataCopy().open();
        if (opened.isEmpty()) {
            throw new ApiException(404, "metadata_copy_not_found", "no metadata copy on this server; the master"
                    + " stores one with PUT " + Protocol.METADATA_COPY_PATH);
        }
        FileChannel copy = opened.get();
        try {
            HttpServletResponse res = ctx.res();
            res.setStatus(200);
            res.setContentType(OCTETS);
            res.setContentLengthLong(copy.size());
            store.metadataCopy().master().ifPresent(m -> res.setHeader(Protocol.MASTER_ID_HEADER, m.hex()));
            return copy;
        } catch (IOException | RuntimeException e) {
            copy.close();
            throw e;
        }
    }

    /** Sends {@code length} bytes of {@code file} from its position, the content of {@code what}. */
    private void send(FileChannel file, long length, String what, ServletOutputStream out) throws IOException {
        if (!(out instanceof HttpOutput jetty)) {
            Channels.newInputStream(file).transferTo(out);
            return;
        }
        ByteBuffer buf = sendBuffers.take();
        long left = length;
        while (left > 0) {
            buf.clear().limit((int) Math.min(buf.capacity(), left));
            int n = file.read(buf);
            if (n < 0) {
                throw new IOException(what + " ended " + left + " bytes early while being sent");
            }
            left -= n;
            jetty.write(buf.flip()); // blocking: the buffer is free again when it returns
        }
        sendBuffers.give(buf); // not after a failure: a write cut short might still hold it
    }

    /** DELETE /v1/chunks/{id}: 204, or 404 when absent. */
    void delete(Context ctx) throws IOException {
        ChunkId id = chunkId(ctx);
        if (!store.delete(id)) {
            throw notFound(id);
        }
        ctx.status(204);
    }

    /**
     * POST /v1/chunk-deletions: deletes every chunk the body names and answers once all are
     * durable: 200 {@link ChunkDeletion.Result}, 400 a body that is not a {@link ChunkDeletion}.
     */
    void deleteMany(Context ctx) throws IOException {
        byte[] body = ctx.req().getInputStream().readNBytes(MAX_DELETION_BYTES + 1);
        if (body.length > MAX_DELETION_BYTES) {
            throw new ApiException(413, "deletion_too_large", "a chunk deletion is at most " + MAX_DELETION_BYTES
                    + " bytes (" + ChunkDeletion.MAX_IDS + " ids); send more requests");
        }
        ChunkDeletion deletion;
        try {
            deletion = Json.mapper().readValue(body, ChunkDeletion.class);
        } catch (JsonProcessingException e) {
            // a value the records refused explains itself; anything else is a shape to name, not Jackson's words
            String why = e.getCause() instanceof IllegalArgumentException refused ? refused.getMessage()
                    : "malformed JSON, or not that shape";
            throw new ApiException(400, "bad_deletion", "the body is not a chunk deletion {\"ids\":[1 to "
                    + ChunkDeletion.MAX_IDS + " chunk ids]}: " + ErrorAnswers.printable(why));
        }
        ctx.json(store.deleteAll(deletion.ids()));
    }

    /** GET /v1/chunks: every stored chunk. */
    void list(Context ctx) {
        ctx.json(new ChunkListing(store.nodeId(), store.list()));
    }

    /** GET /v1/health: identity, versions, space and scrub results. */
    void health(Context ctx) throws IOException {
        ctx.json(new HealthReport(store.nodeId(), Version.CURRENT, Protocol.VERSION, store.count(),
                store.usedBytes(), store.freeBytes(), store.totalBytes(), store.scrubSummary(), store.disk().orElse(null),
                store.drainMark().isSet() ? Boolean.TRUE : null));
    }

    /**
     * PUT /v1/draining: 204; from now on, across restarts, this server's health report says it is
     * drained, and masters place no new copies on it. It still serves and takes chunks.
     */
    void markDraining(Context ctx) throws IOException {
        if (store.drainMark().set()) {
            LOG.info("drained by a master: its copies move to other servers and masters store no new ones here;"
                    + " stop this chunk server once the master says so ('dfs drain --undo {}' takes it back)",
                    store.nodeId());
        }
        ctx.status(204);
    }

    /** DELETE /v1/draining: 204; masters place copies on this server again. */
    void unmarkDraining(Context ctx) throws IOException {
        if (store.drainMark().clear()) {
            LOG.info("taken back by a master: masters place new copies here again");
        }
        ctx.status(204);
    }

    private static ChunkId chunkId(Context ctx) {
        String raw = ctx.pathParam(ID_PARAM);
        if (!ChunkId.isValid(raw)) {
            throw new ApiException(400, "bad_chunk_id", "'" + ErrorAnswers.printable(raw)
                    + "' is not a chunk id: expected 32 lowercase hex digits");
        }
        return ChunkId.parse(raw);
    }

    private static ApiException notFound(ChunkId id) {
        return new ApiException(404, "chunk_not_found", "no chunk " + id + " on this server");
    }
}
