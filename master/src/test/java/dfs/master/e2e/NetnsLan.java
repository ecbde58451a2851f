package dfs.master.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A private Ethernet LAN made of Linux network namespaces, for tests that need real hosts: one
 * namespace holds a bridge, and each host is a namespace of its own plugged into it by a veth
 * pair, with one address from a /24 of 10.213.0.0/16 chosen at random, {@code lo} up and a
 * multicast route so mDNS crosses the bridge. Nothing is created in the root namespace: the
 * machine's own network is untouched. Needs root and iproute2.
 *
 * <p>{@link #close} ends every process still running in the namespaces (all of them started by
 * the test) and deletes the namespaces, which removes the bridge and every link with them. Not
 * thread-safe.
 */
final class NetnsLan implements AutoCloseable {
    private static final String HOST_IF = "lan0";

    private final String tag;
    private final int subnet;
    private final int hosts;
    private final List<String> created = new ArrayList<>();

    private NetnsLan(String tag, int subnet, int hosts) {
        this.tag = tag;
        this.subnet = subnet;
        this.hosts = hosts;
    }

    /** Why this machine cannot host the LAN (not root, no {@code ip}, namespaces refused); empty if it can. */
    static Optional<String> whyUnavailable() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.of("network namespaces need root; running as " + System.getProperty("user.name"));
        }
        String probe = "dfsit-probe-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        try {
            Run r = run("ip", "netns", "add", probe);
            if (r.exit != 0) {
                return Optional.of("'ip netns add' failed: " + r.output.strip());
            }
            run("ip", "netns", "del", probe);
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot run 'ip' (iproute2 missing?): " + e.getMessage());
        }
    }

    /** Builds a LAN of {@code hosts} hosts; on failure removes whatever it had created. */
    static NetnsLan create(int hosts) throws IOException {
        String tag = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(2);
        NetnsLan lan = new NetnsLan(tag, ThreadLocalRandom.current().nextInt(1, 255), hosts);
        try {
            lan.build();
            return lan;
        } catch (IOException | RuntimeException e) {
            lan.close();
            throw e;
        }
    }

    private void build() throws IOException {
        String sw = switchNamespace();
        addNamespace(sw);
        ip("-n", sw, "link", "add", "name", "br0", "type", "bridge", "mcast_snooping", "0");
        ip("-n", sw, "link", "set", "br0", "up");
        for (int i = 0; i < hosts; i++) {
            String ns = namespace(i);
            String port = "port" + i;
            addNamespace(ns);
            ip("-n", ns, "link", "set", "lo", "up");
            ip("-n", sw, "link", "add", "name", port, "type", "veth", "peer", "name", HOST_IF, "netns", ns);
            ip("-n", sw, "link", "set", port, "master", "br0");
            ip("-n", sw, "link", "set", port, "up");
            ip("-n", ns, "addr", "add", address(i) + "/24", "dev", HOST_IF);
            ip("-n", ns, "link", "set", HOST_IF, "up");
            ip("-n", ns, "route", "add", "224.0.0.0/4", "dev", HOST_IF);
        }
    }

    private void addNamespace(String ns) throws IOException {
        ip("netns", "add", ns);
        created.add(ns);
    }

    String namespace(int host) {
        return "dfsit-" + tag + "-h" + host;
    }

    private String switchNamespace() {
        return "dfsit-" + tag + "-lan";
    }

    /** The IPv4 address of {@code host} on this LAN. */
    String address(int host) {
        return "10.213." + subnet + "." + (10 + host);
    }

    /** {@code command} as it runs on {@code host}. */
    List<String> on(int host, List<String> command) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", namespace(host)));
        all.addAll(command);
        return all;
    }

    /** Pulls the cable: {@code host}'s link goes down, inside its namespace. */
    void linkDown(int host) throws IOException {
        ip("-n", namespace(host), "link", "set", HOST_IF, "down");
    }

    /** Plugs the cable back in, with the address and multicast route it had. */
    void linkUp(int host) throws IOException {
        String ns = namespace(host);
        ip("-n", ns, "link", "set", HOST_IF, "up");
        // routes through a link are dropped while it is down
        ip("-n", ns, "route", "replace", "224.0.0.0/4", "dev", HOST_IF);
    }

    /** Caps what {@code host} sends to {@code rate} (tc syntax, e.g. "40mbit"), so transfers take a while. */
    void limitEgress(int host, String rate) throws IOException {
        ip("netns", "exec", namespace(host), "tc", "qdisc", "replace", "dev", HOST_IF, "root", "tbf", "rate", rate,
                "burst", "256kb", "latency", "200ms");
    }

    /** Stops every process left in the namespaces, then deletes them (and with them every link). */
    @Override
    public void close() {
        for (String ns : created) {
            try {
                for (String pid : run("ip", "netns", "pids", ns).output.split("\\s+")) {
                    if (!pid.isBlank()) {
                        ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                    }
                }
            } catch (IOException | NumberFormatException e) {
                System.err.println("NetnsLan: listing processes of " + ns + ": " + e);
            }
        }
        for (int i = created.size() - 1; i >= 0; i--) {
            String ns = created.get(i);
            try {
                Run r = run("ip", "netns", "del", ns);
                if (r.exit != 0) {
                    System.err.println("NetnsLan: 'ip netns del " + ns + "' failed: " + r.output.strip());
                }
            } catch (IOException e) {
                System.err.println("NetnsLan: deleting " + ns + ": " + e);
            }
        }
        created.clear();
    }

    @Override
    public String toString() {
        return "LAN 10.213." + subnet + ".0/24 of namespaces dfsit-" + tag + "-*";
    }

    private static void ip(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        Run r = run(cmd.toArray(String[]::new));
        if (r.exit != 0) {
            throw new IOException(String.join(" ", cmd) + " failed (exit " + r.exit + "): " + r.output.strip());
        }
    }

    private record Run(int exit, String output) {}

    private static Run run(String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " did not finish in 30 s");
            }
            return new Run(p.exitValue(), out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted running " + String.join(" ", cmd), e);
        }
    }
}
