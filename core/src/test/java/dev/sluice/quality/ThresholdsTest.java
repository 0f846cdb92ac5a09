package dev.sluice.quality;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ThresholdsTest {
    @Test
    void describeNamesEachLimitThatIsSet() {
        assertThat(Thresholds.strict().describe()).isEqualTo("no failing rows allowed");
        assertThat(new Thresholds(5L, null, null, null).describe()).isEqualTo("max_fail_count=5");
        assertThat(new Thresholds(null, 0.01, null, null).describe()).isEqualTo("max_fail_fraction=0.01");
        assertThat(new Thresholds(null, null, 0L, null).describe()).isEqualTo("warn_fail_count=0");
        assertThat(new Thresholds(null, null, null, 0.5).describe()).isEqualTo("warn_fail_fraction=0.5");
        assertThat(new Thresholds(10L, 0.1, 1L, 0.01).describe())
                .isEqualTo("max_fail_count=10, max_fail_fraction=0.1, warn_fail_count=1, warn_fail_fraction=0.01");
        assertThat(new Thresholds(null, 0.2, 3L, null).describe()).isEqualTo("max_fail_fraction=0.2, warn_fail_count=3");
    }

    @Test
    void strictFailsOnAnyFailingRow() {
        assertThat(Thresholds.strict().judge(0, 10)).isEqualTo(Verdict.PASS);
        assertThat(Thresholds.strict().judge(1, 1_000_000)).isEqualTo(Verdict.FAIL);
    }

    @Test
    void limitsAreExceededOnlyAboveThem() {
        Thresholds thresholds = new Thresholds(4L, null, 2L, null);
        assertThat(thresholds.judge(2, 100)).isEqualTo(Verdict.PASS);
        assertThat(thresholds.judge(3, 100)).isEqualTo(Verdict.WARN);
        assertThat(thresholds.judge(4, 100)).isEqualTo(Verdict.WARN);
        assertThat(thresholds.judge(5, 100)).isEqualTo(Verdict.FAIL);
        Thresholds fractions = new Thresholds(null, 0.5, null, 0.25);
        assertThat(fractions.judge(1, 4)).isEqualTo(Verdict.PASS);
        assertThat(fractions.judge(2, 4)).isEqualTo(Verdict.WARN);
        assertThat(fractions.judge(3, 4)).isEqualTo(Verdict.FAIL);
    }

    @Test
    void fractionsOfNoRowsAreZero() {
        assertThat(new Thresholds(null, 0.0, null, null).judge(0, 0)).isEqualTo(Verdict.PASS);
        assertThat(new Thresholds(null, 0.5, null, 0.0).judge(0, 0)).isEqualTo(Verdict.PASS);
    }

    @Test
    void verdictsHaveLowerCaseWords() {
        assertThat(Verdict.PASS.word()).isEqualTo("pass");
        assertThat(Verdict.WARN.word()).isEqualTo("warn");
        assertThat(Verdict.FAIL.word()).isEqualTo("fail");
    }
}
