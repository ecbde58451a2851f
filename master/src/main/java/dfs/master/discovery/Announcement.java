package dfs.master.discovery;

import java.net.Inet4Address;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One resolution of a chunk-server mDNS announcement, stripped of JmDNS types so the rules that
 * judge it can be tested without a network.
 *
 * @param instance the service instance name
 * @param addresses the announced IPv4 addresses (IPv6 ones are dropped before this point)
 * @param port the SRV port, 0 when unknown
 * @param text the TXT properties, keys in lower case; empty when no TXT record has arrived
 */
record Announcement(String instance, List<Inet4Address> addresses, int port,
        Map<String, String> text) {

    Announcement {
        Objects.requireNonNull(instance, "instance");
        addresses = List.copyOf(addresses);
        text = Map.copyOf(text);
    }
}
