package dfs.common.config;

import java.util.regex.Pattern;

/**
 * A network endpoint as the user writes it: {@code 192.168.1.20:7443}, {@code nas.local:7443} or
 * {@code [fe80::1]:7443}. Nothing is resolved here; the host stays a name or literal until used.
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

    /** The text {@link #parse} reads back: brackets around IPv6 literals. */
    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
