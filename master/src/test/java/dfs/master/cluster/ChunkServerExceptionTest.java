package dfs.master.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChunkServerExceptionTest {
    private static final InetSocketAddress SERVER = InetSocketAddress.createUnresolved("127.0.0.1", 7443);

    @ParameterizedTest
    @ValueSource(ints = {0, 408, 499, 500, 503, 507})
    void unreachableSlowCutOffOrFailingServersAreTheServersFault(int status) {
        assertThat(failure(status).serversFault()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 404, 409, 413})
    void aRequestTheServerRefusesOnItsMeritsIsNot(int status) {
        assertThat(failure(status).serversFault()).isFalse();
    }

    @Test
    void onlyStatusZeroMeansUnreached() {
        assertThat(failure(0).unreachable()).isTrue();
        assertThat(failure(499).unreachable()).isFalse();
    }

    private static ChunkServerException failure(int status) {
        return new ChunkServerException(SERVER, status, "code", "message", null);
    }
}
