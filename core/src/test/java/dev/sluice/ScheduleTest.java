package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScheduleTest {
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    private static Schedule nightly(String cron) {
        return new Schedule("nightly", cron, PARIS, List.of("orders+"), List.of("revenue"),
                Map.of("day", "2024-02-01"), Schedule.CatchUp.NONE, 1);
    }

    @Test
    void findsTheNextAndPreviousDueTimesInItsZone() {
        Schedule schedule = nightly("0 2 * * *");
        Instant noon = Instant.parse("2024-06-10T12:00:00Z");

        assertThat(schedule.nextDue(noon)).contains(ZonedDateTime.of(2024, 6, 11, 2, 0, 0, 0, PARIS));
        assertThat(schedule.nextDue(noon).orElseThrow().toInstant()).isEqualTo(Instant.parse("2024-06-11T00:00:00Z"));
        assertThat(schedule.previousDue(noon)).contains(ZonedDateTime.of(2024, 6, 10, 2, 0, 0, 0, PARIS));
    }

    @Test
    void aDueTimeIsNeitherItsOwnNextNorItsOwnPrevious() {
        Schedule schedule = nightly("*/15 * * * *");
        Instant due = Instant.parse("2024-06-10T12:15:00Z");

        assertThat(schedule.nextDue(due).orElseThrow().toInstant()).isEqualTo(Instant.parse("2024-06-10T12:30:00Z"));
        assertThat(schedule.previousDue(due).orElseThrow().toInstant()).isEqualTo(Instant.parse("2024-06-10T12:00:00Z"));
    }

    @Test
    void listsTheDueTimesOfASpanOnceEachEvenWhenClocksGoBackOrForward() {
        Schedule daily = nightly("30 2 * * *");
        Schedule quarterly = nightly("*/15 * * * *");

        // Paris goes back from 03:00 to 02:00 on 2026-10-25: 02:30 happens twice, and is due once, the first time.
        assertThat(daily.dueTimes(Instant.parse("2026-10-24T00:00:00Z"), Instant.parse("2026-10-27T00:00:00Z"), 10))
                .containsExactly(Instant.parse("2026-10-24T00:30:00Z"), Instant.parse("2026-10-25T00:30:00Z"),
                        Instant.parse("2026-10-26T01:30:00Z"));
        assertThat(daily.dueTimes(Instant.parse("2026-10-25T01:00:00Z"), Instant.parse("2026-10-25T02:00:00Z"), 10))
                .isEmpty();
        assertThat(daily.nextDue(Instant.parse("2026-10-25T00:30:00Z")).orElseThrow().toInstant())
                .isEqualTo(Instant.parse("2026-10-26T01:30:00Z"));
        // ... and forward from 02:00 to 03:00 on 2026-03-29: 02:30 does not exist, that night has no due time.
        assertThat(daily.dueTimes(Instant.parse("2026-03-28T00:00:00Z"), Instant.parse("2026-03-30T12:00:00Z"), 10))
                .containsExactly(Instant.parse("2026-03-28T01:30:00Z"), Instant.parse("2026-03-30T00:30:00Z"));
        assertThat(quarterly.dueTimes(Instant.parse("2026-10-25T00:50:00Z"), Instant.parse("2026-10-25T02:00:00Z"),
                10)).containsExactly(Instant.parse("2026-10-25T02:00:00Z"));
        assertThat(quarterly.dueTimes(Instant.parse("2026-06-01T00:00:00Z"), Instant.parse("2026-06-01T02:00:00Z"),
                3)).containsExactly(Instant.parse("2026-06-01T01:30:00Z"), Instant.parse("2026-06-01T01:45:00Z"),
                        Instant.parse("2026-06-01T02:00:00Z"));
    }

    @Test
    void aRunItStartsCarriesItsSelectionVarsAndDueTime() {
        Instant due = Instant.parse("2024-06-11T00:00:00Z");

        RunOptions options = nightly("0 2 * * *").runOptions(due);

        assertThat(options.select()).containsExactly("orders+");
        assertThat(options.exclude()).containsExactly("revenue");
        assertThat(options.vars()).containsExactly(Map.entry("day", "2024-02-01"));
        assertThat(options.scheduled()).isEqualTo(new RunOptions.Scheduled("nightly", due));
        assertThat(RunOptions.defaults().scheduled()).isNull();
    }

    @Test
    void refusesABadCronOrConcurrency() {
        assertThatThrownBy(() -> nightly("61 * * * *")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Value 61 not in range [0, 59]");
        assertThatThrownBy(() -> new Schedule("n", "0 2 * * *", PARIS, List.of(), List.of(), Map.of(),
                Schedule.CatchUp.ALL, 0)).isInstanceOf(SluiceException.class)
                .hasMessage("Cannot schedule 'n' with max_concurrency 0: use 1 or more");
        assertThatThrownBy(() -> new RunOptions.Scheduled("n", null)).isInstanceOf(NullPointerException.class)
                .hasMessage("due");
    }
}
