package dfs.master.repair;

import static org.assertj.core.api.Assertions.assertThat;

import dfs.master.repair.RepairOutcome.Result;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class RepairOutcomeTest {
    @Test
    void onlyOutcomesThatLeaveTheChunkShortOfCopiesCountAsUnrepaired() {
        EnumSet<Result> unrepaired = EnumSet.noneOf(Result.class);
        for (Result r : Result.values()) {
            if (r.leavesChunkUnrepaired()) {
                unrepaired.add(r);
            }
        }
        assertThat(unrepaired).containsExactlyInAnyOrder(Result.LOST, Result.NO_SERVER, Result.FAILED);
    }

    @Test
    void aChunkWhoseFileWasDeletedDuringTheScanIsNotAFailure() {
        assertThat(Result.STALE.leavesChunkUnrepaired()).isFalse();
        assertThat(Result.BUSY.leavesChunkUnrepaired()).isFalse();
    }
}
