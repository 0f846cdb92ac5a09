package dev.sluice.window;

import static java.util.Objects.requireNonNull;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * What a windowed build does, decided from interval states alone: the complete intervals not built yet (pending) and
 * the built ones to rebuild (late rows within lateness and the lookback after them, intervals an upstream windowed
 * model rebuilt since, a backfill's restated ones), with why in words. Pure (no engine, no catalog); immutable.
 *
 * @param pending complete intervals never built
 * @param rebuild built intervals built again
 * @param restated the built intervals a backfill restates (within {@code rebuild})
 * @param complete the index of the first interval whose input is not complete yet
 */
public record IntervalPlan(RangeSet pending, RangeSet rebuild, RangeSet restated, long complete) {
    public IntervalPlan {
        requireNonNull(pending, "pending");
        requireNonNull(rebuild, "rebuild");
        requireNonNull(restated, "restated");
    }

    /**
     * Plans a build: {@code before} are the model's interval states (none for a full build), {@code complete} the
     * index where complete input ends, {@code late} its late rows, {@code lookback} in intervals, {@code upstream}
     * the intervals upstream rebuilds affect and {@code backfill} the intervals a backfill restates.
     */
    public static IntervalPlan of(IntervalStates before, long complete, List<LateRows> late, long lookback,
            RangeSet upstream, RangeSet backfill) {
        RangeSet pending = complete <= 0 ? RangeSet.EMPTY
                : RangeSet.of(new IndexRange(0, complete)).minus(before.done());
        RangeSet affected = RangeSet.ofIndexes(LateRows.rebuilding(late)).widenedBy(lookback).union(upstream);
        RangeSet rebuild = affected.union(backfill).intersect(before.done());
        // Only built intervals are restated: the rest of the range is pending or not complete yet.
        return new IntervalPlan(pending, rebuild, backfill.intersect(before.done()), Math.max(0, complete));
    }

    /** Every interval the build writes. */
    public RangeSet work() {
        return pending.union(rebuild);
    }

    /** True when nothing is to be written and no late row to account for. */
    public boolean nothingToDo(List<LateRows> late) {
        return work().isEmpty() && late.isEmpty();
    }

    /** What the build does, in words, one clause each: pending, restated, rebuilt intervals and late rows. */
    public List<String> describe(IntervalGrid grid, List<LateRows> late) {
        List<String> why = new ArrayList<>();
        if (!pending.isEmpty()) {
            why.add(pending.size() + " pending interval(s) built " + times(grid, pending));
        }
        if (!restated.isEmpty()) {
            why.add("backfill: restated " + times(grid, restated));
        }
        if (!rebuild.isEmpty()) {
            why.add(rebuild.size() + " built interval(s) rebuilt " + times(grid, rebuild));
        }
        if (!late.isEmpty()) {
            why.add(LateRows.describe(late));
        }
        return why;
    }

    /**
     * The built intervals of a model ({@code mine}, on {@code grid}) whose input an upstream windowed model rebuilt
     * since they were built: an upstream interval ({@code theirs}, on {@code their grid}) built by a later run than
     * an interval of this model that reads it, up to the lookback after it.
     */
    public static RangeSet changedUpstream(IntervalGrid grid, IntervalStates mine, IntervalGrid theirGrid,
            IntervalStates theirs, long lookback) {
        List<IndexRange> ranges = new ArrayList<>();
        for (IntervalState state : theirs.states()) {
            long from = Math.max(0, grid.index(theirGrid.startOf(state.range().from())));
            long to = grid.index(theirGrid.startOf(state.range().to()).minusNanos(1000)) + 1 + lookback;
            for (IntervalState own : mine.states()) {
                long start = Math.max(from, own.range().from());
                long end = Math.min(to, own.range().to());
                if (start < end && own.runId() < state.runId()) {
                    ranges.add(new IndexRange(start, end));
                }
            }
        }
        return RangeSet.of(ranges);
    }

    /** The intervals a backfill from {@code from} to {@code to} restates, within the complete ones. */
    public static RangeSet restated(IntervalGrid grid, LocalDateTime from, LocalDateTime to, long complete) {
        long first = Math.max(0, grid.index(from));
        long end = Math.min(complete, grid.index(to.minusNanos(1000)) + 1);
        return end > first ? RangeSet.of(new IndexRange(first, end)) : RangeSet.EMPTY;
    }

    /** Up to five ranges as {@code [start, end)}, and how many more. */
    public static String times(IntervalGrid grid, RangeSet set) {
        List<String> ranges = new ArrayList<>();
        for (IndexRange range : set.ranges().subList(0, Math.min(5, set.ranges().size()))) {
            ranges.add("[" + text(grid.startOf(range.from())) + ", " + text(grid.startOf(range.to())) + ")");
        }
        return String.join(", ", ranges) + (set.ranges().size() > 5 ? " and " + (set.ranges().size() - 5)
                + " more range(s)" : "");
    }

    /** A time as reasons and lineage show it: {@code 2024-01-01 00:00}. */
    public static String text(LocalDateTime time) {
        return time.toString().replace('T', ' ');
    }
}
