package dfs.chunkserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import dfs.chunkserver.ChunkServer;
import dfs.chunkserver.ChunkServerSettings;
import dfs.chunkserver.RawHttp;
import dfs.common.config.ClusterSecret;
import dfs.common.json.Json;
import dfs.common.testing.TestTls;
import dfs.common.tls.ClusterTls;
import dfs.common.wire.ChunkId;
import dfs.common.wire.ErrorBody;
import dfs.common.wire.Protocol;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A corpus of hostile requests from a client holding a valid cluster certificate, over real TLS:
 * every one gets a 4xx in the one error shape (never a 5xx, a hang or a crash), and nothing is
 * created outside the storage folder.
 */
class HostileRequestsTest {
    static final Duration IDLE = Duration.ofSeconds(2);
    private static final String EMPTY_SHA = sha256(new byte[0]);

    @TempDir
    Path sandbox;
    Path storage;
    ClusterTls client;
    ChunkServer server;

    @BeforeEach
    void start() throws IOException {
        storage = sandbox.resolve("storage");
        ClusterSecret secret = TestTls.newCluster();
        ClusterTls serverTls = TestTls.member(secret, "chunk-server");
        client = TestTls.member(secret, "dfs-master");
        server = ChunkServer.start(new ChunkServerSettings(storage, InetAddress.getByName("127.0.0.1"), 0,
                serverTls.sslContext(), serverTls.fingerprint(), Optional.empty(), IDLE));
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    /** One hostile request: a name for the report, the raw head (without the blank line) and a body. */
    record Hostile(String name, String head, byte[] body) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Hostile> corpus() {
        List<Hostile> all = new ArrayList<>();
        List<String> ids = List.of("..%2f..%2fetc%2fpasswd", "..%2F..%2F..%2Ftmp%2Fpwned", "%2e%2e", "%2e%2e%2f%2e%2e%2fx",
                "%252e%252e%252f%252e%252e%252fx", "..%5c..%5cx", "..\\..\\x", "a%00b", "%00", "0".repeat(31) + "%00",
                "a".repeat(5000), "%C3%A9".repeat(16), "\u00e9".repeat(32), "%EF%BC%8E%EF%BC%8E%EF%BC%8F", ".",
                "..", "A".repeat(32), "0".repeat(33), "0".repeat(31) + "g", "%ff%fe", "%", "%zz");
        for (String id : ids) {
            for (String method : List.of("GET", "PUT", "DELETE")) {
                String extra = method.equals("PUT") ? Protocol.SHA256_HEADER + ": " + EMPTY_SHA + "\r\nContent-Length: 0\r\n" : "";
                all.add(new Hostile(method + " id " + printable(id),
                        method + " /v1/chunks/" + id + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra, new byte[0]));
            }
        }
        for (String path : List.of("/v1/chunks/../../../etc/passwd", "/v1/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
                "/v1/chunks/x/../../health", "//v1//chunks", "/v1/chunks/;/x", "/v1/health;x=..%2f", "*", "http://evil/v1/health",
                "/" + "x".repeat(20_000))) {
            all.add(new Hostile("GET path " + printable(path), "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n", new byte[0]));
        }
        String put = "PUT " + Protocol.chunkPath(ChunkId.random()) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
        for (String length : List.of("99999999999999999999999", "-1", "-100", "1e3", "0x10", " ", "1, 2",
                Long.toString(Protocol.MAX_CHUNK_BYTES + 1), Long.toString(Long.MAX_VALUE))) {
            all.add(new Hostile("Content-Length " + length, put + Protocol.SHA256_HEADER + ": " + EMPTY_SHA
                    + "\r\nContent-Length: " + length + "\r\n", new byte[0]));
        }
        all.add(new Hostile("two Content-Lengths", put + Protocol.SHA256_HEADER + ": " + EMPTY_SHA
                + "\r\nContent-Length: 0\r\nContent-Length: 5\r\n", new byte[5]));
        all.add(new Hostile("chunked and Content-Length", put + Protocol.SHA256_HEADER + ": " + EMPTY_SHA
                + "\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
        all.add(new Hostile("chunked body", put + Protocol.SHA256_HEADER + ": " + EMPTY_SHA
                + "\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
        all.add(new Hostile("hash header of 10 KB", put + Protocol.SHA256_HEADER + ": " + "a".repeat(7000)
                + "\r\nContent-Length: 0\r\n", new byte[0]));
        all.add(new Hostile("JSON where bytes belong", put.replace("PUT", "PUT") + "Content-Type: application/json\r\n"
                + Protocol.SHA256_HEADER + ": " + EMPTY_SHA + "\r\nContent-Length: 8\r\n", "{\"a\":[1,".getBytes(StandardCharsets.US_ASCII)));
        String post = "POST " + Protocol.CHUNK_DELETIONS_PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n";
        String tooMany = "{\"ids\":[" + String.join(",", java.util.Collections.nCopies(1001, "\"" + "0".repeat(32) + "\"")) + "]}";
        for (String body : List.of("not json", "{}", "{\"ids\":[]}", "{\"ids\":\"x\"}", "{\"ids\":[null]}",
                "{\"ids\":[\"../../etc/passwd\"]}", "{\"ids\":[\"" + "A".repeat(32) + "\"]}", "{\"ids\":[\"" + "0".repeat(32)
                + "\"],\"ids\":[]}", "{\"ids\":[\"" + "0".repeat(32) + "\"]", tooMany, " ".repeat(80_000))) {
            byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
            all.add(new Hostile("deletion " + printable(body.length() > 60 ? body.substring(0, 60) + "..." : body),
                    post + "Content-Length: " + bytes.length + "\r\n", bytes));
        }
        for (String method : List.of("PATCH", "TRACE", "OPTIONS", "CONNECT", "POST", "HEAD /v1/nope", "FOO", "GET\u0000")) {
            String line = method.contains(" ") ? method : method + " " + Protocol.HEALTH_PATH;
            all.add(new Hostile("method " + printable(method), line + " HTTP/1.1\r\nHost: 127.0.0.1\r\n", new byte[0]));
        }
        all.add(new Hostile("CONNECT authority", "CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\n", new byte[0]));
        all.add(new Hostile("huge header", "GET " + Protocol.HEALTH_PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: "
                + "b".repeat(64 * 1024) + "\r\n", new byte[0]));
        StringBuilder many = new StringBuilder("GET " + Protocol.HEALTH_PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (int i = 0; i < 2000; i++) {
            many.append("X-H").append(i).append(": v\r\n");
        }
        all.add(new Hostile("2000 headers", many.toString(), new byte[0]));
        all.add(new Hostile("header without colon", "GET " + Protocol.HEALTH_PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nbroken\r\n", new byte[0]));
        all.add(new Hostile("header with NUL", "GET " + Protocol.HEALTH_PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: a\u0000b\r\n", new byte[0]));
        all.add(new Hostile("obsolete line folding", "GET " + Protocol.HEALTH_PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: a\r\n b\r\n", new byte[0]));
        all.add(new Hostile("no Host in HTTP/1.1", "GET /v1/nope HTTP/1.1\r\n", new byte[0]));
        all.add(new Hostile("HTTP/1.0 to an unknown path", "GET /v1/nope HTTP/1.0\r\n", new byte[0]));
        all.add(new Hostile("HTTP/1.0 PUT without length", put.replace("HTTP/1.1", "HTTP/1.0") + Protocol.SHA256_HEADER + ": " + EMPTY_SHA + "\r\n", new byte[0]));
        all.add(new Hostile("HTTP/9.9", "GET " + Protocol.HEALTH_PATH + " HTTP/9.9\r\nHost: 127.0.0.1\r\n", new byte[0]));
        all.add(new Hostile("HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n", new byte[0]));
        all.add(new Hostile("garbage request line", "\u0001\u0002\u0003 \u00ff\u00fe garbage\r\n", new byte[0]));
        all.add(new Hostile("request line without version", "GET " + Protocol.HEALTH_PATH + "\r\n", new byte[0]));
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void everyHostileRequestGetsA4xxInTheErrorShape(Hostile request) throws Exception {
        Reply reply = exchange(request.head(), request.body());

        assertThat(reply.status()).as("%s answered %s", request, reply).isBetween(400, 499);
        if (request.head().startsWith("HEAD ")) {
            assertThat(reply.body()).isEmpty(); // an answer to HEAD never has a body
        } else {
            assertErrorShape(reply);
        }
        assertNothingOutsideTheStore();
    }

    @Test
    void aBodyShorterThanDeclaredIsCutWithin4xxOrSilenceAndLeavesNoTemporaryFile() throws Exception {
        byte[] body = new byte[10];
        try (Socket socket = RawHttp.tls(client.sslContext(), server.port())) {
            send(socket, "PUT " + Protocol.chunkPath(ChunkId.random()) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + Protocol.SHA256_HEADER + ": " + sha256(new byte[100]) + "\r\nContent-Length: 100\r\n", body);
            byte[] raw = readToEndQuietly(socket);
            assertCutOrRefused(raw);
        }
        awaitCondition("temporary files to be removed", () -> tmpFiles().isEmpty());
        assertNothingOutsideTheStore();
    }

    @Test
    void aBodyLongerThanDeclaredStoresOnlyTheDeclaredBytesAndRefusesTheRest() throws Exception {
        byte[] declared = "0123456789".getBytes(StandardCharsets.US_ASCII);
        byte[] body = (new String(declared, StandardCharsets.US_ASCII) + "GARBAGE-THAT-FOLLOWS\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        ChunkId id = ChunkId.random();
        Reply reply = exchange("PUT " + Protocol.chunkPath(id) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + Protocol.SHA256_HEADER
                + ": " + sha256(declared) + "\r\nContent-Length: 10\r\n", body);

        assertThat(reply.status()).as("%s", reply).isEqualTo(201);
        assertThat(server.store().open(id)).hasValueSatisfying(c -> {
            try (c) {
                assertThat(c.payloadStream().readAllBytes()).isEqualTo(declared);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void pipelinedGarbageAfterAValidRequestGetsA4xx() throws Exception {
        byte[] raw;
        try (Socket socket = RawHttp.tls(client.sslContext(), server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + Protocol.HEALTH_PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    + "\u0000\u0001 NOT HTTP \u00ff\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            raw = readToEndQuietly(socket);
        }
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        assertThat(text).startsWith("HTTP/1.1 200");
        int second = text.indexOf("HTTP/1.1 ", 1);
        assertThat(second).as("a second answer in %s", text).isPositive();
        Reply garbage = Reply.parse(text.substring(second).getBytes(StandardCharsets.ISO_8859_1));
        assertThat(garbage.status()).isBetween(400, 499);
        assertErrorShape(garbage);
    }

    @Test
    void aTricklingUploadIsCutBeforeItEndsAndLeavesNoTemporaryFile() throws Exception {
        ChunkId id = ChunkId.random();
        int trickle = 200; // bytes, one every quarter of the idle timeout: never idle, far too slow
        int sent = 0;
        byte[] raw;
        try (Socket socket = RawHttp.tls(client.sslContext(), server.port())) {
            send(socket, "PUT " + Protocol.chunkPath(id) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + Protocol.SHA256_HEADER
                    + ": " + sha256(new byte[1 << 20]) + "\r\nContent-Length: " + (1 << 20) + "\r\n", new byte[0]);
            try {
                for (; sent < trickle; sent++) {
                    socket.getOutputStream().write(0);
                    socket.getOutputStream().flush();
                    Thread.sleep(IDLE.toMillis() / 4); // the trickle's pace is what this test is about
                }
            } catch (IOException e) {
                // the server cut the connection: what this test waits for
            }
            raw = readToEndQuietly(socket);
        }
        assertThat(sent).as("bytes the server accepted before cutting the trickle").isLessThan(trickle);
        assertCutOrRefused(raw);
        awaitCondition("temporary files to be removed", () -> tmpFiles().isEmpty());
        assertThat(server.store().open(id)).isEmpty();
    }

    record Reply(int status, String contentType, byte[] body) {
        static Reply parse(byte[] raw) {
            String text = new String(raw, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            if (!text.startsWith("HTTP/1.") || end < 0) {
                throw new AssertionError("not an HTTP answer: " + printable(text));
            }
            String[] lines = text.substring(0, end).split("\r\n");
            String type = "";
            int length = -1;
            for (String l : lines) {
                String lower = l.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-type:")) {
                    type = l.substring(13).trim();
                } else if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(l.substring(15).trim());
                }
            }
            int from = end + 4;
            int to = length >= 0 ? Math.min(raw.length, from + length) : raw.length;
            return new Reply(Integer.parseInt(lines[0].substring(9, 12)), type,
                    java.util.Arrays.copyOfRange(raw, from, to));
        }

        @Override
        public String toString() {
            return status + " " + contentType + " " + printable(new String(body, StandardCharsets.UTF_8));
        }
    }

    Reply exchange(String head, byte[] body) throws IOException {
        try (Socket socket = RawHttp.tls(client.sslContext(), server.port())) {
            send(socket, head, body);
            return Reply.parse(readToEndQuietly(socket));
        }
    }

    /** Sends {@code head} (ending in CRLF) with Connection: close, the blank line and {@code body}. */
    static void send(Socket socket, String head, byte[] body) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write((head + "Connection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.write(body);
        out.flush();
    }

    static byte[] readToEndQuietly(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                all.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server neither answered nor closed the connection: it hangs", e);
        } catch (IOException e) {
            // a reset after (or instead of) an answer: what arrived is what counts
        }
        return all.toByteArray();
    }

    static void assertErrorShape(Reply reply) throws IOException {
        assertThat(reply.contentType()).as("%s", reply).startsWith("application/json");
        ErrorBody error = Json.mapper().readValue(reply.body(), ErrorBody.class);
        assertThat(error.error()).isNotBlank();
        assertThat(error.message()).isNotBlank().doesNotContain("\tat ", "dfs.chunkserver", "dfs.common");
    }

    /** Either the connection was cut without an answer, or the answer is a 4xx in the error shape. */
    static void assertCutOrRefused(byte[] raw) throws IOException {
        if (raw.length == 0) {
            return;
        }
        Reply reply = Reply.parse(raw);
        assertThat(reply.status()).as("%s", reply).isBetween(400, 499);
        assertErrorShape(reply);
    }

    void assertNothingOutsideTheStore() throws IOException {
        try (Stream<Path> entries = Files.list(sandbox)) {
            assertThat(entries.toList()).containsExactly(storage);
        }
        try (Stream<Path> entries = Files.list(storage)) {
            assertThat(entries.map(p -> p.getFileName().toString()).toList())
                    .containsExactlyInAnyOrder("node_id", "in_use.lock", "chunks", "tmp", "free");
        }
        try (Stream<Path> entries = Files.walk(storage.resolve("chunks"))) {
            assertThat(entries.filter(Files::isRegularFile).toList()).isEmpty();
        }
    }

    List<Path> tmpFiles() {
        try (Stream<Path> files = Files.list(storage.resolve("tmp"))) {
            return files.toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static void awaitCondition(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("gave up waiting for " + what);
            }
            Thread.sleep(10); // polling interval, not a timing assumption
        }
    }

    static String printable(String s) {
        String clean = s.replaceAll("[^\\x20-\\x7e]", "?");
        return clean.length() > 60 ? clean.substring(0, 60) + "...(" + s.length() + ")" : clean;
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
