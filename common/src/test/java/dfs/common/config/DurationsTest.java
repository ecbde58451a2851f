package dfs.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
    @ParameterizedTest
    @CsvSource({"500ms, 500", "5s, 5000", "5 s, 5000", "2m, 120000", "1h, 3600000", "0s, 0"})
    void parsesMillisecondsSecondsMinutesAndHours(String text, long millis) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @CsvSource({"500, 500ms", "5000, 5s", "120000, 2m", "7200000, 2h", "1500, 1500ms", "90000, 90s"})
    void formatsTheShortestExactFormThatParsesBack(long millis, String text) {
        assertThat(Durations.format(Duration.ofMillis(millis))).isEqualTo(text);
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "five", "", "5sec", "1.5s", "-5s", "5d", "PT5S"})
    void refusesTextThatIsNotADuration(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'" + text + "' is not a duration; expected a duration like 5s or 500ms");
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999999999999999ms", "9999999999999999h"})
    void refusesDurationsThatOverflow(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).hasMessageContaining("too long");
    }
}
