package dev.sluice.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.project.TimeSpan;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class IntervalGridTest {
    private static final LocalDateTime JAN_1 = LocalDateTime.parse("2024-01-01T00:00");

    private static LocalDateTime t(String text) {
        return LocalDateTime.parse(text);
    }

    @Test
    void fixedGrainsCountSecondsFromTheStartBothWays() {
        IntervalGrid hourly = new IntervalGrid(JAN_1, new TimeSpan(1, TimeSpan.Unit.HOUR));
        assertThat(hourly.index(t("2024-01-01T00:00"))).isZero();
        assertThat(hourly.index(t("2024-01-01T00:59:59.999999"))).isZero();
        assertThat(hourly.index(t("2024-01-01T01:00"))).isEqualTo(1);
        assertThat(hourly.index(t("2023-12-31T23:59:59.5"))).isEqualTo(-1);
        assertThat(hourly.index(t("2024-12-31T23:30"))).isEqualTo(8783);
        assertThat(hourly.startOf(25)).isEqualTo(t("2024-01-02T01:00"));
        assertThat(hourly.endOf(25)).isEqualTo(t("2024-01-02T02:00"));
        IntervalGrid quarterHours = new IntervalGrid(t("2024-01-01T00:05"), new TimeSpan(15, TimeSpan.Unit.MINUTE));
        assertThat(quarterHours.index(t("2024-01-01T00:20"))).isEqualTo(1);
        assertThat(quarterHours.startOf(1)).isEqualTo(t("2024-01-01T00:20"));
    }

    @Test
    void calendarGrainsFollowTheMonths() {
        IntervalGrid monthly = new IntervalGrid(JAN_1, new TimeSpan(1, TimeSpan.Unit.MONTH));
        assertThat(monthly.index(t("2024-02-29T23:59"))).isEqualTo(1);
        assertThat(monthly.index(t("2024-03-01T00:00"))).isEqualTo(2);
        assertThat(monthly.index(t("2023-12-15T00:00"))).isEqualTo(-1);
        assertThat(monthly.startOf(2)).isEqualTo(t("2024-03-01T00:00"));
        IntervalGrid quarterly = new IntervalGrid(JAN_1, new TimeSpan(3, TimeSpan.Unit.MONTH));
        assertThat(quarterly.index(t("2024-06-30T12:00"))).isEqualTo(1);
        IntervalGrid yearly = new IntervalGrid(JAN_1, new TimeSpan(1, TimeSpan.Unit.YEAR));
        assertThat(yearly.index(t("2025-12-31T00:00"))).isEqualTo(1);
        assertThat(yearly.endOf(0)).isEqualTo(t("2025-01-01T00:00"));
    }

    @Test
    void spansBecomeWholeIntervalsRoundedUp() {
        IntervalGrid daily = new IntervalGrid(JAN_1, new TimeSpan(1, TimeSpan.Unit.DAY));
        assertThat(daily.intervalsIn(TimeSpan.ZERO)).isZero();
        assertThat(daily.intervalsIn(new TimeSpan(36, TimeSpan.Unit.HOUR))).isEqualTo(2);
        assertThat(daily.intervalsIn(new TimeSpan(6, TimeSpan.Unit.DAY))).isEqualTo(6);
        assertThat(daily.intervalsIn(new TimeSpan(1, TimeSpan.Unit.MONTH))).isEqualTo(31);
        IntervalGrid monthly = new IntervalGrid(JAN_1, new TimeSpan(1, TimeSpan.Unit.MONTH));
        assertThat(monthly.intervalsIn(new TimeSpan(2, TimeSpan.Unit.MONTH))).isEqualTo(2);
        assertThat(monthly.intervalsIn(new TimeSpan(40, TimeSpan.Unit.DAY))).isEqualTo(2);
        assertThatThrownBy(() -> new IntervalGrid(JAN_1, new TimeSpan(0, TimeSpan.Unit.DAY)))
                .hasMessage("a grid needs a grain of at least one unit");
    }
}
