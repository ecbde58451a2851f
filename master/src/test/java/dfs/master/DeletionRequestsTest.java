package dfs.master;

import static org.assertj.core.api.Assertions.assertThat;

import dfs.common.wire.ChunkId;
import dfs.common.wire.NodeId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** How a delete's chunks are cut into requests to the servers that hold them. */
class DeletionRequestsTest {
    private static final NodeId A = NodeId.parse("00000000000000aa");
    private static final NodeId B = NodeId.parse("00000000000000bb");
    private static final NodeId C = NodeId.parse("00000000000000cc");

    private static List<ChunkId> ids(int n) {
        return IntStream.range(0, n).mapToObj(i -> ChunkId.random()).toList();
    }

    @Test
    void eachServerGetsRequestsOfAtMostTheLimitInTurnAndEveryChunkOnce() {
        Map<NodeId, List<ChunkId>> byNode = new LinkedHashMap<>();
        byNode.put(A, ids(7));
        byNode.put(B, ids(2));
        byNode.put(C, ids(3));

        List<Map.Entry<NodeId, List<ChunkId>>> requests = Master.inTurns(byNode, 3);

        assertThat(requests).extracting(Map.Entry::getKey).containsExactly(A, B, C, A, A);
        assertThat(requests).extracting(r -> r.getValue().size()).containsExactly(3, 2, 3, 3, 1);
        for (NodeId node : byNode.keySet()) {
            assertThat(requests.stream().filter(r -> r.getKey().equals(node)).flatMap(r -> r.getValue().stream()))
                    .containsExactlyElementsOf(byNode.get(node));
        }
    }

    @Test
    void nothingToDeleteIsNoRequest() {
        assertThat(Master.inTurns(Map.of(), 1000)).isEmpty();
    }
}
