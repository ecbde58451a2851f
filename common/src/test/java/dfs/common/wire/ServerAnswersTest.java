package dfs.common.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dfs.common.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A master reads the answers of a newer chunk server: fields it does not know are skipped. */
class ServerAnswersTest {
    private final NodeId node = NodeId.random();
    private final ChunkId chunk = ChunkId.random();

    @Test
    void aHealthReportWithFieldsOfALaterVersionIsReadForTheFieldsKnown() throws Exception {
        String json = Json.mapper().writeValueAsString(Map.of(
                "node", node.toString(), "version", "9.9", "protocol", 1, "chunkCount", 3,
                "usedBytes", 30, "freeBytes", 1000, "totalBytes", 2000, "disk", "803",
                "scrub", Map.of("chunksScrubbed", 3, "corruptFound", 1, "pace", "slow"),
                "rack", "r2"));

        HealthReport report = Json.mapper().readValue(json, HealthReport.class);

        assertThat(report).isEqualTo(new HealthReport(node, "9.9", 1, 3, 30, 1000, 2000,
                new HealthReport.Scrub(3, 1, null), "803"));
    }

    @Test
    void listingsStoresAndErrorsWithFieldsOfALaterVersionAreReadToo() throws Exception {
        String listing = "{\"node\":\"" + node + "\",\"chunks\":[{\"id\":\"" + chunk
                + "\",\"size\":42,\"stored\":\"2030-01-01\"}],\"truncated\":false}";
        String stored = "{\"id\":\"" + chunk + "\",\"size\":42,\"sha256\":\"ab\",\"forwardedTo\":[],\"took\":3}";
        String error = "{\"error\":\"no_room\",\"message\":\"disk full\",\"retryAfter\":5}";

        assertThat(Json.mapper().readValue(listing, ChunkListing.class))
                .isEqualTo(new ChunkListing(node, List.of(new ChunkListing.Entry(chunk, 42))));
        assertThat(Json.mapper().readValue(stored, StoredChunk.class).size()).isEqualTo(42);
        assertThat(Json.mapper().readValue(error, ErrorBody.class)).isEqualTo(new ErrorBody("no_room", "disk full"));
    }

    /** A record the project writes and reads itself, such as the metadata, stays strict. */
    record OwnRecord(String name) {}

    @Test
    void everyOtherRecordStillRefusesAnUnknownField() {
        assertThatThrownBy(() -> Json.mapper().readValue("{\"name\":\"a\",\"nmae\":\"b\"}", OwnRecord.class))
                .isInstanceOf(UnrecognizedPropertyException.class)
                .hasMessageContaining("nmae");
    }
}
