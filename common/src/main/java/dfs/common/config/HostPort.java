package dfs.common.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * A network endpoint as the user writes it: {@code 192.168.1.20:7443}, {@code nas.local:7443} or
 * {@code [fe80::1]:7443}. Nothing is looked up here; a host name stays a name until used.
 * Immutable.
 *
 * @param host a host name, IPv4 literal, or IPv6 literal without brackets
 * @param port 1 to 65535
 */
public record HostPort(String host, int port) {
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final Pattern PORT = Pattern.compile("\\d{1,5}");
    private static final String EXPECTED = "expected host:port like 192.168.1.20:7443 or [fe80::1]:7443";

    public HostPort {
        if (host == null || !(HOST_NAME.matcher(host).matches() || IPV6.matcher(host).matches())) {
            throw new IllegalArgumentException("'" + host + "' is not a host name or IP address");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " of " + host + " is out of range; expected 1 to 65535");
        }
    }

    /**
     * Parses {@code host:port} or {@code [ipv6]:port}.
     *
     * @throws IllegalArgumentException naming the text and the expected form
     */
    public static HostPort parse(String text) {
        String t = text == null ? "" : text.strip();
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            throw new IllegalArgumentException("'" + text + "' is not host:port; " + EXPECTED);
        }
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
            if (!IPV6.matcher(host).matches()) {
                throw new IllegalArgumentException("'" + text + "' has no IPv6 address inside [ ]; " + EXPECTED);
            }
        } else if (host.contains(":") && !host.contains("[")) {
            throw new IllegalArgumentException("'" + text + "' is ambiguous: put an IPv6 address in brackets, "
                    + "like [fe80::1]:7443");
        } else if (!HOST_NAME.matcher(host).matches()) {
            throw new IllegalArgumentException("'" + text + "' has an invalid host; " + EXPECTED);
        }
        String digits = t.substring(colon + 1);
        if (!PORT.matcher(digits).matches()) {
            throw new IllegalArgumentException("'" + text + "' has an invalid port; " + EXPECTED);
        }
        int port = Integer.parseInt(digits);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("'" + text + "' has port " + port + "; expected a port from 1 to 65535");
        }
        return new HostPort(host, port);
    }

    /**
     * This endpoint as a socket address. An IP literal becomes the address it names, without any
     * lookup, so that it equals the address of the same server found by discovery; a host name
     * stays unresolved, to be looked up when a connection is made.
     */
    public InetSocketAddress toSocketAddress() {
        try {
            if (host.contains(":")) {
                // in brackets Java parses it as an IPv6 literal or refuses it, and never looks it up
                return new InetSocketAddress(InetAddress.getByName("[" + host + "]"), port);
            }
            byte[] v4 = ipv4(host);
            if (v4 != null) {
                return new InetSocketAddress(InetAddress.getByAddress(v4), port);
            }
        } catch (UnknownHostException e) {
            // not a valid literal after all: left for the connection to refuse
        }
        return InetSocketAddress.createUnresolved(host, port);
    }

    /** The four bytes of a dotted-quad IPv4 literal, or null if {@code host} is not one. */
    private static byte[] ipv4(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (parts[i].isEmpty() || parts[i].length() > 3 || !parts[i].chars().allMatch(Character::isDigit)) {
                return null;
            }
            int b = Integer.parseInt(parts[i]);
            if (b > 255) {
                return null;
            }
            bytes[i] = (byte) b;
        }
        return bytes;
    }

    /** The text {@link #parse} reads back: brackets around IPv6 literals. */
    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
