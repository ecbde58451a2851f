package dfs.master.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dfs.common.config.ClusterSecret;
import dfs.common.config.DfsConfig;
import dfs.common.crypto.MasterKeyFile;
import dfs.common.json.Json;
import dfs.common.wire.Protocol;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real product through uploads, downloads, status, list and failures (a wrong
 * passphrase, a missing one, a bad configuration), then scans everything it let out — every
 * process's output and logs, the metadata files, the mDNS TXT records — for the cluster secret,
 * the master key and the passphrase. None may appear.
 */
class SecretsNeverLeakIT {
    private static final String PASSPHRASE = "pass-" + Long.toHexString(System.nanoTime()) + "-phrase";

    @TempDir
    Path work;
    final List<Process> servers = new ArrayList<>();
    final StringBuilder seen = new StringBuilder();

    @AfterEach
    void stopServers() throws InterruptedException {
        for (Process p : servers) {
            p.destroy();
        }
        for (Process p : servers) {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void noSecretKeyOrPassphraseAppearsInAnythingDfsWrites() throws Exception {
        Path config = work.resolve("dfs_setup.config");
        DfsProcess.Result init = run(Map.of(), "init", "--config", config.toString());
        assertThat(init.exit()).as("%s", init).isZero();
        Files.writeString(config, Files.readString(config)
                + "\nbind_address = 127.0.0.1\nport = 0\nchunk_size = 64KiB\ndiscovery_timeout = 20s\n");
        DfsConfig cfg = DfsConfig.load(config);
        String secret = cfg.requireClusterSecret().encoded();
        String masterKey = Json.mapper().readTree(cfg.masterKeyFile().toFile()).path("key").asText();
        for (int i = 0; i < 3; i++) {
            Path log = work.resolve("server-" + i + ".log");
            servers.add(DfsProcess.builder(work, "chunkserver", "--config", config.toString(), "--dir",
                    work.resolve("server-" + i).toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start());
            DfsProcess.awaitLine(log, "serving");
        }

        Path file = Files.write(work.resolve("plain.txt"), "hello ".repeat(50_000).getBytes(StandardCharsets.UTF_8));
        expect(0, run(Map.of(), "upload", file.toString(), "--config", config.toString()));
        expect(0, run(Map.of(), "download", "plain.txt", work.resolve("back.txt").toString(), "--config", config.toString()));
        expect(0, run(Map.of(), "list", "--config", config.toString()));
        expect(0, run(Map.of(), "status", "--config", config.toString()));
        expect(1, run(Map.of(), "download", "no-such-file", "--config", config.toString()));

        // the same master with its key protected by a passphrase: right, wrong and missing passphrases
        Path protectedConfig = work.resolve("protected.config");
        Files.writeString(protectedConfig, Files.readString(config)
                + "\nmaster_key_file = protected.key\nmetadata_file = protected-metadata.json\n");
        MasterKeyFile.write(work.resolve("protected.key"), MasterKeyFile.load(cfg.masterKeyFile()),
                PASSPHRASE.toCharArray());
        expect(0, run(Map.of("DFS_PASSPHRASE", PASSPHRASE), "upload", file.toString(), "--config", protectedConfig.toString()));
        // 'list' reads only the metadata; 'status' starts a master, which needs the key
        expect(0, run(Map.of("MY_PASS", PASSPHRASE), "status", "--passphrase-env", "MY_PASS", "--config",
                protectedConfig.toString()));
        DfsProcess.Result wrong = run(Map.of("DFS_PASSPHRASE", PASSPHRASE + "x"), "status", "--config",
                protectedConfig.toString());
        expect(1, wrong);
        assertThat(wrong.err()).contains("wrong passphrase");
        expect(1, run(Map.of(), "status", "--config", protectedConfig.toString()));
        expect(0, run(Map.of(), "list", "--config", protectedConfig.toString()));

        // a broken configuration that still carries the secret
        Path bad = work.resolve("bad.config");
        Files.writeString(bad, Files.readString(config) + "\nchunk_size = lots\n");
        expect(2, run(Map.of(), "status", "--config", bad.toString()));
        Path badSecret = work.resolve("bad-secret.config");
        Files.writeString(badSecret, "cluster_secret = " + secret.substring(0, 40) + "!!!\n");
        expect(2, run(Map.of(), "status", "--config", badSecret.toString()));

        for (int i = 0; i < 3; i++) {
            seen.append(Files.readString(work.resolve("server-" + i + ".log")));
        }
        try (Stream<Path> files = Files.list(work)) {
            for (Path p : files.filter(p -> p.getFileName().toString().contains("metadata")).toList()) {
                seen.append(Files.readString(p));
            }
        }
        seen.append(mdnsTxtRecords());

        String all = seen.toString();
        assertThat(all).contains("plain.txt"); // the scan did see real output
        assertThat(all).doesNotContain(secret).doesNotContain(secret.substring(0, 20))
                .doesNotContain(masterKey).doesNotContain(masterKey.substring(0, 20))
                .doesNotContain(Base64.getEncoder().encodeToString(ClusterSecret.parse(secret).bytes()))
                .doesNotContain(PASSPHRASE);
    }

    private DfsProcess.Result run(Map<String, String> env, String... args) throws Exception {
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        ProcessBuilder pb = DfsProcess.builder(work, args).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Files.createTempFile(work, "in", ".txt").toFile()));
        pb.environment().remove("DFS_PASSPHRASE");
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("dfs " + String.join(" ", args) + " did not finish in 3 minutes");
        }
        DfsProcess.Result r = new DfsProcess.Result(p.exitValue(), Files.readString(out), Files.readString(err));
        seen.append(r.out()).append(r.err());
        return r;
    }

    private static void expect(int exit, DfsProcess.Result r) {
        assertThat(r.exit()).as("%s", r).isEqualTo(exit);
    }

    private static String mdnsTxtRecords() throws IOException {
        StringBuilder txt = new StringBuilder();
        try (JmDNS jmdns = JmDNS.create(InetAddress.getByName("127.0.0.1"), "leak-scan")) {
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            ServiceInfo[] found = new ServiceInfo[0];
            while (found.length < 3 && Instant.now().isBefore(deadline)) {
                found = jmdns.list(Protocol.SERVICE_TYPE, 3000);
            }
            assertThat(found).as("chunk servers announced by mDNS").hasSizeGreaterThanOrEqualTo(3);
            for (ServiceInfo info : found) {
                txt.append(new String(info.getTextBytes(), StandardCharsets.ISO_8859_1)).append('\n');
                info.getPropertyNames().asIterator().forEachRemaining(n -> txt.append(n).append('=')
                        .append(info.getPropertyString(n)).append('\n'));
            }
        }
        assertThat(txt.toString()).contains(Protocol.TXT_CLUSTER + "=");
        return txt.toString();
    }


}
