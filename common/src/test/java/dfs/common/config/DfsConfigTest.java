package dfs.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DfsConfigTest {
    @TempDir
    Path dir;

    private Path write(String text) throws IOException {
        Path file = dir.resolve("dfs_setup.config");
        Files.writeString(file, text);
        return file;
    }

    /** Loading fails with one line naming the file and the key. */
    private AbstractThrowableAssert<?, ? extends Throwable> assertRefused(String text, String key) throws IOException {
        Path file = write(text);
        return assertThatThrownBy(() -> DfsConfig.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file.toAbsolutePath() + ": ")
                .hasMessageContaining(key)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void anEmptyFileGivesEveryDefault() throws IOException {
        DfsConfig c = DfsConfig.load(write(""));
        assertThat(c.clusterSecret()).isEmpty();
        assertThat(c.chunkSize()).isEqualTo(ByteSize.ofMiB(4));
        assertThat(c.replicationFactor()).isEqualTo(2);
        assertThat(c.replicationPath()).isEqualTo(ReplicationPath.AUTO);
        assertThat(c.numChunkServers()).isEqualTo(3);
        assertThat(c.discovery()).isEqualTo(DiscoveryMode.MDNS);
        assertThat(c.chunkServers()).isEmpty();
        assertThat(c.bindAddress()).isEqualTo("0.0.0.0");
        assertThat(c.port()).isEqualTo(7443);
        assertThat(c.storageDir()).isEqualTo(dir.resolve("chunks"));
        assertThat(c.metadataFile()).isEqualTo(dir.resolve("metadata_uploaded.json"));
        assertThat(c.masterKeyFile()).isEqualTo(dir.resolve("master.key"));
        assertThat(c.uploadDir()).isEqualTo(dir.resolve("upload_list"));
        assertThat(c.outputDir()).isEqualTo(dir.resolve("output"));
        assertThat(c.reserveSpace()).isEqualTo(ByteSize.ofMiB(64));
        assertThat(c.discoveryTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.heartbeatInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.deadAfter()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c).isEqualTo(DfsConfig.defaults(dir.resolve("dfs_setup.config")));
    }

    @Test
    void readsKeySpaceValueAndKeyEqualsValueAlike() throws IOException {
        DfsConfig c = DfsConfig.load(write("chunk_size 512KiB\nreplication_factor = 3\n  port=9000\n"
                + "discovery_timeout\t= 1m  \nreserve_space = 20GiB\n"));
        assertThat(c.chunkSize()).isEqualTo(ByteSize.ofKiB(512));
        assertThat(c.reserveSpace()).isEqualTo(ByteSize.ofMiB(20 * 1024));
        assertThat(c.replicationFactor()).isEqualTo(3);
        assertThat(c.port()).isEqualTo(9000);
        assertThat(c.discoveryTimeout()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void ignoresCommentsAndBlankLines() throws IOException {
        DfsConfig c = DfsConfig.load(write("# a comment\n\n   # indented comment\n#port = 1\n! old-style comment\n"));
        assertThat(c.port()).isEqualTo(7443);
    }

    @Test
    void anEmptyValueMeansTheDefault() throws IOException {
        DfsConfig c = DfsConfig.load(write("cluster_secret =\nport =\nchunk_servers\n"));
        assertThat(c.clusterSecret()).isEmpty();
        assertThat(c.port()).isEqualTo(7443);
        assertThat(c.chunkServers()).isEmpty();
    }

    @Test
    void relativePathsResolveAgainstTheConfigFolderAndAbsoluteOnesStay() throws IOException {
        Path elsewhere = dir.resolve("elsewhere").toAbsolutePath();
        DfsConfig c = DfsConfig.load(write("storage_dir = data/chunks\noutput_dir = ../out\nupload_dir = "
                + elsewhere.toString().replace('\\', '/') + "\n"));
        assertThat(c.storageDir()).isEqualTo(dir.resolve("data/chunks"));
        assertThat(c.outputDir()).isEqualTo(dir.getParent().resolve("out"));
        assertThat(c.uploadDir()).isEqualTo(elsewhere);
        assertThat(c.source()).isEqualTo(dir.resolve("dfs_setup.config").toAbsolutePath());
    }

    @Test
    void readsAClusterSecret() throws IOException {
        ClusterSecret secret = ClusterSecret.generate();
        DfsConfig c = DfsConfig.load(write("cluster_secret = " + secret.encoded() + "\n"));
        assertThat(c.requireClusterSecret()).isEqualTo(secret);
    }

    @Test
    void requireClusterSecretExplainsHowToGetOne() throws IOException {
        Path file = write("");
        assertThatThrownBy(() -> DfsConfig.load(file).requireClusterSecret())
                .isInstanceOf(ConfigException.class)
                .hasMessage(file.toAbsolutePath() + ": cluster_secret is missing: run './dfs init' on one machine,"
                        + " then copy dfs_setup.config to every machine");
    }

    @Test
    void readsStaticChunkServersSeparatedByCommasOrWhitespace() throws IOException {
        DfsConfig c = DfsConfig.load(write("discovery = static\nnum_chunk_servers = 3\n"
                + "chunk_servers = 10.0.0.1:7443,10.0.0.2:7443 [::1]:9000\n"));
        assertThat(c.discovery()).isEqualTo(DiscoveryMode.STATIC);
        assertThat(c.chunkServers()).containsExactly(HostPort.parse("10.0.0.1:7443"),
                HostPort.parse("10.0.0.2:7443"), new HostPort("::1", 9000));
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "0.0.0.0", "192.168.1.20", "::", "::1", "fe80::1"})
    void acceptsIpLiteralsAsBindAddress(String address) throws IOException {
        assertThat(DfsConfig.load(write("bind_address = " + address + "\n")).bindAddress()).isEqualTo(address);
    }

    @Test
    void fromValuesChecksLikeAFile() {
        Path file = dir.resolve("dfs_setup.config");
        DfsConfig c = DfsConfig.fromValues(file, Map.of("port", "0", "storage_dir", "s"));
        assertThat(c.port()).isZero();
        assertThat(c.storageDir()).isEqualTo(dir.resolve("s"));
        assertThatThrownBy(() -> DfsConfig.fromValues(file, Map.of("port", "x")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("port 'x'");
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
        "chunk_size         | huge      | 'huge' is not a size; expected a size like 4MiB or 512KiB",
        "reserve_space      | lots      | 'lots' is not a size; expected a size like 4MiB or 512KiB",
        "chunk_size         | 4MB       | ambiguous",
        "chunk_size         | 32KiB     | '32KiB' is out of range; expected 64KiB to 64MiB",
        "chunk_size         | 128MiB    | '128MiB' is out of range; expected 64KiB to 64MiB",
        "replication_factor | two       | 'two' is not a whole number",
        "replication_factor | 0         | '0' is out of range; expected 1 to 16",
        "replication_factor | 17        | '17' is out of range; expected 1 to 16",
        "replication_path   | sideways  | 'sideways' is not a replication path; expected auto, chain or direct",
        "num_chunk_servers  | 0         | '0' is out of range",
        "discovery          | dns       | 'dns' is not a discovery mode; expected mdns or static",
        "chunk_servers      | a:1,b     | 'b' is not host:port",
        "chunk_servers      | a:1 a:1   | lists a server more than once",
        "bind_address       | localhost | 'localhost' is not an IP address",
        "bind_address       | 256.0.0.1 | '256.0.0.1' is not an IP address",
        "bind_address       | 1::2::3   | '1::2::3' is not an IP address",
        "port               | 65536     | '65536' is out of range; expected 0 (any free port) to 65535",
        "port               | -1        | '-1' is out of range",
        "port               | 12ab      | '12ab' is not a whole number",
        "discovery_timeout  | 5         | '5' is not a duration; expected a duration like 5s or 500ms",
        "discovery_timeout  | 0s        | '0s' is not positive",
        "heartbeat_interval | 0ms       | '0s' is not positive",
        "dead_after         | 2s        | dead_after '2s' is not longer than heartbeat_interval 2s",
        "dead_after         | soon      | 'soon' is not a duration",
    })
    void refusesABadValueNamingFileKeyValueAndExpectation(String key, String value, String expected) throws IOException {
        assertRefused(key + " = " + value + "\n", key).hasMessageContaining(expected);
    }

    @Test
    void showsTheValueAsWrittenInTheMessage() throws IOException {
        Path file = write("chunk_size huge\n");
        assertThatThrownBy(() -> DfsConfig.load(file)).hasMessage(file.toAbsolutePath()
                + ": chunk_size 'huge' is not a size; expected a size like 4MiB or 512KiB");
    }

    @Test
    void refusesStaticDiscoveryWithoutChunkServers() throws IOException {
        assertRefused("discovery = static\n", "chunk_servers").hasMessageContaining("is empty but discovery is static");
    }

    @Test
    void refusesStaticDiscoveryWaitingForMoreServersThanListed() throws IOException {
        assertRefused("discovery = static\nchunk_servers = a:1 b:1\n", "num_chunk_servers")
                .hasMessageContaining("more than the 2 listed in chunk_servers");
    }

    @Test
    void refusesMoreCopiesThanServersWaitedFor() throws IOException {
        assertRefused("replication_factor = 3\nnum_chunk_servers = 2\n", "replication_factor")
                .hasMessageContaining("is more than num_chunk_servers 2");
    }

    @Test
    void refusesAnUnknownKeySuggestingTheClosestKnownOne() throws IOException {
        assertRefused("chunk_sise = 4MiB\n", "chunk_sise").hasMessageEndingWith("did you mean 'chunk_size'?");
        assertRefused("Replication_Factor = 2\n", "Replication_Factor")
                .hasMessageEndingWith("did you mean 'replication_factor'?");
        assertRefused("storage = x\n", "storage").hasMessageEndingWith("did you mean 'storage_dir'?");
    }

    @Test
    void refusesAnUnknownKeyWithNothingCloseListingTheKnownKeys() throws IOException {
        assertRefused("colour = blue\n", "unknown key 'colour'").hasMessageContaining("known keys are cluster_secret, ")
                .hasMessageNotContaining("blue");
    }

    @Test
    void refusesTheLegacyMasterKeyExplainingWhereTheKeyLivesNow() throws IOException {
        assertRefused("master_key = c2VjcmV0a2V5\n", "master_key")
                .hasMessageContaining("own file on the master machine (master_key_file")
                .hasMessageContaining("remove the master_key line")
                .hasMessageNotContaining("c2VjcmV0a2V5");
    }

    @Test
    void refusesAKeySetTwice() throws IOException {
        assertRefused("port = 1\nport = 2\n", "port is set more than once");
    }

    @Test
    void refusesAMissingFileSuggestingInit() {
        Path missing = dir.resolve("nowhere/dfs_setup.config");
        assertThatThrownBy(() -> DfsConfig.load(missing))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(missing.toAbsolutePath().toString())
                .hasMessageContaining("does not exist")
                .hasMessageContaining("./dfs init");
    }

    @Test
    void refusesAMalformedEscape() throws IOException {
        assertRefused("storage_dir = C:\\u12\n", "").hasMessageContaining("cannot read it as key = value lines");
    }

    @Test
    void theSecretAppearsInNoMessageAndNoToString() throws IOException {
        String encoded = ClusterSecret.generate().encoded();
        String almost = encoded.substring(0, 42) + "!";
        List<String> texts = List.of(
                "cluster_secret = " + encoded + "\nport = x\n",           // another key is bad
                "cluster_secret = " + almost + "\n",                      // the secret is bad
                "cluster_secret = " + encoded + "x\n",                    // one character too many
                "cluster_secrett = " + encoded + "\n",                    // the key is misspelt
                "cluster_secret = " + encoded + "\ncluster_secret = " + encoded + "\n", // set twice
                "master_key = " + encoded + "\n");                        // legacy key
        for (String text : texts) {
            Path file = write(text);
            assertThatThrownBy(() -> DfsConfig.load(file))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageNotContaining(encoded.substring(0, 16))
                    .hasMessageNotContaining(almost.substring(0, 16));
        }
        DfsConfig ok = DfsConfig.load(write("cluster_secret " + encoded + "\n"));
        assertThat(ok.toString()).doesNotContain(encoded).contains("ClusterSecret[redacted]");
    }

    @Test
    void aBadSecretIsReportedByShapeOnly() throws IOException {
        assertRefused("cluster_secret = tooshort\n", "cluster_secret is not valid (value not shown)")
                .hasMessageContaining("expected 43 base64url characters")
                .hasMessageNotContaining("tooshort");
    }
}
