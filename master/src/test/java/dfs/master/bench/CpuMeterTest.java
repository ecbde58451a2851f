package dfs.master.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link CpuMeter} reads this very JVM. */
class CpuMeterTest {
    @Test
    void theCompilersOfThisJvmHaveUsedSomeOfItsCpu() {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "Linux only");
        long pid = ProcessHandle.current().pid();

        long compilers = CpuMeter.compilerNanos(pid);
        CpuMeter.Sample now = new CpuMeter(List.of()).now();

        assertThat(compilers).isPositive(); // a JVM that ran a test suite has compiled code
        assertThat(now.compilerNanos()).isGreaterThanOrEqualTo(compilers).isLessThan(now.masterNanos());
    }

    @Test
    void aProcessThatDoesNotExistHasUsedNone() {
        assertThat(CpuMeter.compilerNanos(Long.MAX_VALUE)).isZero();
    }

    @Test
    void theCompilersShareIsTheirPartOfAllTheCpuUsed() {
        CpuMeter.Sample s = new CpuMeter.Sample(600, 400, 250);

        assertThat(s.total()).isEqualTo(1000);
        assertThat(s.compilerShare()).isEqualTo(0.25);
        assertThat(CpuMeter.Sample.ZERO.compilerShare()).isZero();
    }
}
