package dfs.master.discovery;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Chooses the local IPv4 address mDNS runs on. mDNS is bound to one explicit address because
 * letting JmDNS pick an interface lands on Docker bridges, VPNs or loopback as often as on the
 * LAN.
 *
 * <p>Stateless and thread-safe.
 */
public final class LanAddress {
    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    /** Interfaces that are usually container or VM bridges, tried only when nothing else fits. */
    private static final Pattern VIRTUAL_NAMES = Pattern.compile(
            "(docker|veth|br-|virbr|vmnet|vboxnet|cni|flannel|tun|tap|wg|zt).*");

    private LanAddress() {}

    /**
     * The IPv4 address to run mDNS on.
     *
     * @param bindAddress {@code bind_address} from {@code dfs_setup.config}: an IPv4 literal of
     *     this machine, used as given; or {@code 0.0.0.0}, empty or null to pick the site-local
     *     IPv4 address of the first interface that is up, not loopback and multicast-capable
     *     (bridges of containers and VMs come last)
     * @throws IllegalArgumentException naming the value if it is not an IPv4 literal
     * @throws IOException naming the address if it belongs to no local interface, or saying so
     *     when no LAN address can be found
     */
    public static Inet4Address resolve(String bindAddress) throws IOException {
        String text = bindAddress == null ? "" : bindAddress.strip();
        if (text.isEmpty() || text.equals("0.0.0.0")) {
            return firstLanAddress();
        }
        Inet4Address literal = parseLiteral(text);
        if (NetworkInterface.getByInetAddress(literal) == null) {
            throw new IOException("bind_address " + text + " is not an address of this machine"
                    + " (its IPv4 addresses: " + String.join(", ", localIpv4Addresses())
                    + "); set bind_address in dfs_setup.config to one of them or to 0.0.0.0");
        }
        return literal;
    }

    static Inet4Address parseLiteral(String text) {
        if (!IPV4.matcher(text).matches()) {
            throw new IllegalArgumentException("bind_address '" + text + "' is not an IPv4"
                    + " address like 192.168.1.20; mDNS discovery needs an IPv4 literal"
                    + " or 0.0.0.0 to choose automatically");
        }
        try {
            // a dotted literal is parsed, never looked up
            return (Inet4Address) InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bind_address '" + text + "' is not an IPv4 address",
                    e);
        }
    }

    private static Inet4Address firstLanAddress() throws IOException {
        List<NetworkInterface> candidates = new ArrayList<>();
        for (NetworkInterface nif : interfaces()) {
            if (nif.isUp() && !nif.isLoopback() && nif.supportsMulticast()) {
                candidates.add(nif);
            }
        }
        candidates.sort(Comparator.comparing(LanAddress::looksVirtual)
                .thenComparingInt(NetworkInterface::getIndex));
        for (NetworkInterface nif : candidates) {
            for (InetAddress address : nif.inetAddresses().toList()) {
                if (address instanceof Inet4Address ipv4 && ipv4.isSiteLocalAddress()) {
                    return ipv4;
                }
            }
        }
        throw new IOException("no LAN IPv4 address found for mDNS; set bind_address in"
                + " dfs_setup.config (this machine's IPv4 addresses: "
                + String.join(", ", localIpv4Addresses()) + ")");
    }

    private static boolean looksVirtual(NetworkInterface nif) {
        return nif.isVirtual() || VIRTUAL_NAMES.matcher(nif.getName().toLowerCase(Locale.ROOT)).matches();
    }

    private static List<String> localIpv4Addresses() throws SocketException {
        List<String> out = new ArrayList<>();
        for (NetworkInterface nif : interfaces()) {
            nif.inetAddresses()
                    .filter(Inet4Address.class::isInstance)
                    .forEach(a -> out.add(a.getHostAddress() + " (" + nif.getName() + ")"));
        }
        return out;
    }

    private static List<NetworkInterface> interfaces() throws SocketException {
        return NetworkInterface.networkInterfaces().toList();
    }
}
