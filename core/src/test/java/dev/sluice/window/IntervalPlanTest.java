package dev.sluice.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.project.TimeSpan;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Interval planning and late-row accounting, without an engine or a catalog. */
class IntervalPlanTest {
    private static final LocalDateTime JAN_1 = LocalDateTime.parse("2024-01-01T00:00");
    private static final IntervalGrid HOURLY = new IntervalGrid(JAN_1, new TimeSpan(1, TimeSpan.Unit.HOUR));

    private static IntervalState built(long from, long to, long run) {
        return new IntervalState(new IndexRange(from, to), IntervalState.State.PROCESSED, run, to - from, null);
    }

    private static LateRows late(long index, long rows, Lateness.Disposition fate) {
        return new LateRows("raw.events", index, 9, rows, 3600, fate);
    }

    @Test
    void aFirstBuildBuildsEveryCompleteInterval() {
        IntervalPlan plan = IntervalPlan.of(IntervalStates.NONE, 3, List.of(), 0, RangeSet.EMPTY, RangeSet.EMPTY);
        assertThat(plan.pending().ranges()).containsExactly(new IndexRange(0, 3));
        assertThat(plan.rebuild().isEmpty()).isTrue();
        assertThat(plan.work().ranges()).containsExactly(new IndexRange(0, 3));
        assertThat(plan.nothingToDo(List.of())).isFalse();
        assertThat(plan.describe(HOURLY, List.of()))
                .containsExactly("3 pending interval(s) built [2024-01-01 00:00, 2024-01-01 03:00)");
        assertThat(IntervalPlan.of(IntervalStates.NONE, 0, List.of(), 0, RangeSet.EMPTY, RangeSet.EMPTY)
                .nothingToDo(List.of())).isTrue();
    }

    @Test
    void lateRowsRebuildTheirIntervalAndTheLookbackAfterItOnlyWhereBuilt() {
        IntervalStates before = IntervalStates.of(List.of(built(0, 10, 1)));
        List<LateRows> late = List.of(late(2, 4, Lateness.Disposition.REBUILT),
                late(9, 1, Lateness.Disposition.REPROCESSED), late(5, 2, Lateness.Disposition.DROPPED));
        IntervalPlan plan = IntervalPlan.of(before, 12, late, 1, RangeSet.EMPTY, RangeSet.EMPTY);
        assertThat(plan.pending().ranges()).containsExactly(new IndexRange(10, 12));
        // 2 and the hour after it; 9 and its lookback hour 10, which is pending rather than built
        assertThat(plan.rebuild().ranges()).containsExactly(new IndexRange(2, 4), new IndexRange(9, 10));
        assertThat(plan.describe(HOURLY, late)).containsExactly(
                "2 pending interval(s) built [2024-01-01 10:00, 2024-01-01 12:00)",
                "3 built interval(s) rebuilt [2024-01-01 02:00, 2024-01-01 04:00), [2024-01-01 09:00, 2024-01-01 10:00)",
                "late rows: 4 within lateness (rebuilt), 1 beyond lateness, reprocessed, 2 beyond lateness, dropped");
    }

    @Test
    void aBackfillRestatesOnlyBuiltCompleteIntervals() {
        IntervalStates before = IntervalStates.of(List.of(built(0, 4, 1)));
        RangeSet restated = IntervalPlan.restated(HOURLY, JAN_1.plusHours(2), JAN_1.plusHours(8), 6);
        assertThat(restated.ranges()).containsExactly(new IndexRange(2, 6));
        IntervalPlan plan = IntervalPlan.of(before, 6, List.of(), 0, RangeSet.EMPTY, restated);
        assertThat(plan.restated().ranges()).containsExactly(new IndexRange(2, 4));
        assertThat(plan.rebuild().ranges()).containsExactly(new IndexRange(2, 4));
        assertThat(plan.describe(HOURLY, List.of())).containsExactly(
                "2 pending interval(s) built [2024-01-01 04:00, 2024-01-01 06:00)",
                "backfill: restated [2024-01-01 02:00, 2024-01-01 04:00)",
                "2 built interval(s) rebuilt [2024-01-01 02:00, 2024-01-01 04:00)");
        assertThat(IntervalPlan.restated(HOURLY, JAN_1.plusHours(7), JAN_1.plusHours(9), 6).isEmpty()).isTrue();
    }

    @Test
    void anUpstreamRebuildAffectsTheIntervalsThatReadItWhenItIsNewer() {
        IntervalGrid daily = new IntervalGrid(JAN_1, new TimeSpan(1, TimeSpan.Unit.DAY));
        IntervalStates mine = IntervalStates.of(List.of(built(0, 2, 5)));
        // hours 30..32 (day 1) rebuilt by run 7, after day 1 was built by run 5; hours 2..3 by run 3, before it
        IntervalStates upstream = IntervalStates.of(List.of(built(2, 3, 3), built(30, 32, 7)));
        assertThat(IntervalPlan.changedUpstream(daily, mine, HOURLY, upstream, 0).ranges())
                .containsExactly(new IndexRange(1, 2));
        // a lookback of one day carries an upstream change of day 0 into day 1
        IntervalStates early = IntervalStates.of(List.of(built(2, 3, 8)));
        assertThat(IntervalPlan.changedUpstream(daily, mine, HOURLY, early, 1).ranges())
                .containsExactly(new IndexRange(0, 2));
    }

    @Test
    void manyRangesAreShownAsFiveAndACount() {
        RangeSet set = RangeSet.ofIndexes(List.of(0L, 2L, 4L, 6L, 8L, 10L, 12L));
        assertThat(IntervalPlan.times(HOURLY, set)).isEqualTo("[2024-01-01 00:00, 2024-01-01 01:00), "
                + "[2024-01-01 02:00, 2024-01-01 03:00), [2024-01-01 04:00, 2024-01-01 05:00), "
                + "[2024-01-01 06:00, 2024-01-01 07:00), [2024-01-01 08:00, 2024-01-01 09:00) and 2 more range(s)");
    }

    @Test
    void lateRowsAreCountedByFateAndCloseTheIntervalsTheyDoNotRebuild() {
        IntervalStates states = IntervalStates.of(List.of(built(0, 6, 1)));
        List<LateRows> late = List.of(late(1, 2, Lateness.Disposition.QUARANTINED),
                late(1, 3, Lateness.Disposition.QUARANTINED), late(3, 1, Lateness.Disposition.REBUILT),
                late(4, 5, Lateness.Disposition.DROPPED));
        assertThat(LateRows.byFate(late)).containsExactly(
                java.util.Map.entry(Lateness.Disposition.REBUILT, 1L),
                java.util.Map.entry(Lateness.Disposition.QUARANTINED, 5L),
                java.util.Map.entry(Lateness.Disposition.DROPPED, 5L));
        assertThat(LateRows.rebuilding(late)).containsExactly(3L);
        // interval 4 is rebuilt anyway (by the lookback of 3): only interval 1 is closed, keeping its run
        IntervalStates after = LateRows.closed(states, late, RangeSet.of(new IndexRange(3, 5)));
        assertThat(after.at(1).orElseThrow()).isEqualTo(new IntervalState(new IndexRange(1, 2),
                IntervalState.State.LATE_CLOSED, 1, 0, null));
        assertThat(after.at(4).orElseThrow().state()).isEqualTo(IntervalState.State.PROCESSED);
        assertThatThrownBy(() -> new LateRows(null, 0, 0, 0, 0, Lateness.Disposition.DROPPED))
                .isInstanceOf(NullPointerException.class).hasMessage("source");
    }
}
