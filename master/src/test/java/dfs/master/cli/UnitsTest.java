package dfs.master.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UnitsTest {
    @Test
    void sizesUseTheLargestBinaryUnitWithOneDecimal() {
        assertThat(Units.bytes(1023)).isEqualTo("1023 B");
        assertThat(Units.bytes(1536)).isEqualTo("1.5 KiB");
        assertThat(Units.bytes(3L << 30)).isEqualTo("3.0 GiB");
        assertThat(Units.bytes(5L << 40)).isEqualTo("5.0 TiB");
    }

    @Test
    void aFolderRateGivesFilesPerSecondBeforeTheBytes() {
        // 500 files of 4 KiB in 2 s
        assertThat(Units.folderRate(500, 500 * 4096L, 2_000_000_000L)).isEqualTo("250.0 files/s, 1.0 MiB/s");
    }

    @Test
    void noRateIsGivenForATimeThatDidNotPass() {
        assertThat(Units.rate(10, 0)).isEqualTo("-");
        assertThat(Units.folderRate(3, 10, 0)).isEqualTo("-");
    }
}
