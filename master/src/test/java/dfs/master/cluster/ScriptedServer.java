package dfs.master.cluster;

import dfs.common.tls.ClusterTls;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A real HTTPS server on 127.0.0.1 with a real cluster TLS identity (client certificates
 * required) that answers every request by a script writing raw bytes, so tests can make it
 * misbehave as no real chunk server would: stall, trickle, lie about lengths. It records each
 * request and each connection's TLS facts. Closing it closes every connection and releases any
 * script waiting in {@link #silence()}.
 */
final class ScriptedServer implements AutoCloseable {
    /** One request as received; header names in lower case. */
    record Request(String method, String path, Map<String, String> headers, byte[] body) {}

    /** What a connection's TLS handshake settled. */
    record Connection(String protocol, Optional<String> clientName) {}

    /** Writes the answer to one request; may stay silent, or close the connection by throwing. */
    @FunctionalInterface
    interface Script {
        void answer(Request request, OutputStream out) throws Exception;
    }

    private final SSLServerSocket listener;
    private final Script script;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);

    private ScriptedServer(ClusterTls identity, Script script) throws IOException {
        this.script = script;
        this.listener = (SSLServerSocket) identity.sslContext().getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        listener.setNeedClientAuth(true);
        threads.submit(this::acceptLoop);
    }

    static ScriptedServer start(ClusterTls identity, Script script) throws IOException {
        return new ScriptedServer(identity, script);
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort());
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    List<Connection> connections() {
        return List.copyOf(connections);
    }

    /** Blocks a script until the server closes: a peer that has gone silent. */
    void silence() throws InterruptedException {
        closed.await();
    }

    /** A complete answer with a body and its exact Content-Length. */
    static byte[] answer(int status, String contentType, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head(status, "Content-Type: " + contentType + "\r\nContent-Length: " + body.length));
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** A status line and the given header lines, up to and including the blank line. */
    static byte[] head(int status, String headerLines) {
        return ("HTTP/1.1 " + status + " X\r\n" + headerLines + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private Void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                SSLSocket s = (SSLSocket) listener.accept();
                sockets.add(s);
                threads.submit(() -> serve(s));
            } catch (IOException e) {
                return null; // closed
            }
        }
        return null;
    }

    private Void serve(SSLSocket socket) {
        try (socket) {
            socket.startHandshake();
            connections.add(new Connection(socket.getSession().getProtocol(),
                    ClusterTls.peerCommonName(socket.getSession())));
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            for (Optional<Request> r = read(in); r.isPresent(); r = read(in)) {
                requests.add(r.get());
                script.answer(r.get(), out);
                out.flush();
            }
        } catch (Exception e) {
            // the connection ends: a failed handshake, a closed peer, or a script that hung up
        }
        return null;
    }

    private static Optional<Request> read(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); ; c = in.read()) {
            if (c < 0) {
                return Optional.empty();
            }
            if (c == '\n') {
                String l = line.toString().strip();
                if (l.isEmpty()) {
                    break;
                }
                lines.add(l);
                line.setLength(0);
            } else {
                line.append((char) c);
            }
        }
        String[] start = lines.get(0).split(" ");
        Map<String, String> headers = new TreeMap<>();
        for (String h : lines.subList(1, lines.size())) {
            int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).strip().toLowerCase(Locale.ROOT), h.substring(colon + 1).strip());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        return Optional.of(new Request(start[0], start[1], headers, in.readNBytes(length)));
    }

    @Override
    public void close() throws IOException {
        closed.countDown();
        listener.close();
        for (Socket s : sockets) {
            s.close();
        }
        threads.shutdownNow();
    }
}
