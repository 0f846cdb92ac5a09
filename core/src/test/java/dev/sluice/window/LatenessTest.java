package dev.sluice.window;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.project.TimeSpan;
import dev.sluice.project.TimeWindow;
import java.time.LocalDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LatenessTest {
    private static final LocalDateTime JAN_1 = LocalDateTime.parse("2024-01-01T00:00");

    private static TimeWindow window(TimeWindow.LatePolicy policy) {
        return new TimeWindow("ts", "ts", new TimeSpan(1, TimeSpan.Unit.DAY), JAN_1, new TimeSpan(2, TimeSpan.Unit.DAY),
                policy, TimeWindow.Clock.EVENT, 0, TimeSpan.ZERO);
    }

    @Test
    void withinLatenessRebuildsBeyondItThePolicyDecides() {
        IntervalGrid grid = new IntervalGrid(JAN_1, new TimeSpan(1, TimeSpan.Unit.DAY));
        LocalDateTime atLimit = LocalDateTime.parse("2024-01-05T00:00");
        LocalDateTime past = atLimit.plusSeconds(1);
        assertThat(Lateness.decide(window(TimeWindow.LatePolicy.DROP), grid, 1, atLimit))
                .isEqualTo(Lateness.Disposition.REBUILT);
        assertThat(Lateness.decide(window(TimeWindow.LatePolicy.DROP), grid, 1, past))
                .isEqualTo(Lateness.Disposition.DROPPED);
        assertThat(Lateness.decide(window(TimeWindow.LatePolicy.QUARANTINE), grid, 1, past))
                .isEqualTo(Lateness.Disposition.QUARANTINED);
        assertThat(Lateness.decide(window(TimeWindow.LatePolicy.REPROCESS), grid, 1, past))
                .isEqualTo(Lateness.Disposition.REPROCESSED);
        assertThat(Lateness.decide(window(TimeWindow.LatePolicy.CURRENT), grid, 1, past))
                .isEqualTo(Lateness.Disposition.REASSIGNED);
        assertThat(Lateness.secondsAfterEnd(grid, 1, past)).isEqualTo(2 * 86_400 + 1);
        assertThat(Lateness.Disposition.REPROCESSED.rebuilds()).isTrue();
        assertThat(Lateness.Disposition.DROPPED.rebuilds()).isFalse();
        assertThat(Lateness.Disposition.QUARANTINED.word()).isEqualTo("quarantined");
        assertThat(Lateness.plus(JAN_1, new TimeSpan(1, TimeSpan.Unit.MONTH))).isEqualTo("2024-02-01T00:00");
        assertThat(Lateness.plus(JAN_1, new TimeSpan(90, TimeSpan.Unit.MINUTE))).isEqualTo("2024-01-01T01:30");
    }

    @Test
    void recommendsTheSmallestSettingCatching99PercentOfLateRows() {
        LatenessRecommendation recommendation = LatenessRecommendation.of(1000, Map.of(3_600L, 900L, 86_400L, 985L,
                172_800L, 995L, 604_800L, 1000L));
        assertThat(recommendation.options()).extracting(o -> o.lateness().toString()).containsExactly("1 hour", "1 day",
                "2 days", "1 week");
        assertThat(recommendation.recommended().lateness()).isEqualTo(new TimeSpan(2, TimeSpan.Unit.DAY));
        assertThat(recommendation.recommended().shareCaught()).isEqualTo(0.995);
        assertThat(LatenessRecommendation.of(0, Map.of(60L, 0L)).recommended()).isNull();
        assertThat(LatenessRecommendation.of(10, Map.of(60L, 1L)).recommended()).isNull();
        assertThat(LatenessRecommendation.span(90)).isEqualTo(new TimeSpan(90, TimeSpan.Unit.SECOND));
        assertThat(LatenessRecommendation.span(300)).isEqualTo(new TimeSpan(5, TimeSpan.Unit.MINUTE));
    }
}
