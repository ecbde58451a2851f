package dfs.chunkserver;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * HTTP/1.1 written byte by byte over a socket, for requests a well-behaved client will not send
 * (unnormalised paths, lying lengths, plain text on a TLS port, abandoned bodies).
 */
public final class RawHttp {
    /** Bounds a blocked read so a broken server fails the test instead of hanging it. */
    private static final int READ_TIMEOUT_MS = 60_000;

    private RawHttp() {}

    /** A parsed answer: status, lower-cased header names, body. */
    public record Answer(int status, Map<String, String> headers, byte[] body) {}

    /** A TLS socket to 127.0.0.1:{@code port}, handshake done. */
    public static Socket tls(SSLContext context, int port) throws IOException {
        javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) context.getSocketFactory()
                .createSocket("127.0.0.1", port);
        socket.setSoTimeout(READ_TIMEOUT_MS);
        socket.startHandshake();
        return socket;
    }

    /** A plain TCP socket to 127.0.0.1:{@code port}. */
    public static Socket plain(int port) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(READ_TIMEOUT_MS);
        return socket;
    }

    /** Sends {@code head} (request line and headers, without the blank line) and Connection: close. */
    public static void send(Socket socket, String head, byte[] body) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write((head + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    /** Everything the server sends until it closes the connection. */
    public static byte[] readToEnd(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                all.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new IOException("server neither answered nor closed within " + READ_TIMEOUT_MS + " ms", e);
        } catch (IOException e) {
            // A reset after the answer is fine; what arrived before it is what counts.
            if (all.size() == 0) {
                throw e;
            }
        }
        return all.toByteArray();
    }

    /** One request over a fresh TLS connection. */
    public static Answer exchange(SSLContext context, int port, String head) throws IOException {
        try (Socket socket = tls(context, port)) {
            send(socket, head, new byte[0]);
            return parse(readToEnd(socket));
        }
    }

    public static Answer parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.1 ") || end < 0) {
            throw new AssertionError("not an HTTP answer: " + text);
        }
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].substring(9, 12));
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        return new Answer(status, headers, Arrays.copyOfRange(raw, end + 4, raw.length));
    }
}
