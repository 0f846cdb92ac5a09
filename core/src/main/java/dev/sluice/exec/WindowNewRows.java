package dev.sluice.exec;

import dev.sluice.catalog.WindowBuildRecords;
import dev.sluice.connect.Tracked;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import dev.sluice.project.TimeWindow;
import dev.sluice.window.IntervalGrid;
import dev.sluice.window.IntervalState;
import dev.sluice.window.IntervalStates;
import dev.sluice.window.Lateness;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The rows of a timed source that a windowed model has not read yet, from one scan of them ({@link #read}): the
 * source with the loads that brought them and its clock (greatest event time), and their rows by interval of the
 * model's grid and loading run, from which its late rows are found.
 *
 * @param groups per interval on the model's grid and loading run: {interval, run, rows}, in that order
 */
record WindowNewRows(TimedSource source, List<long[]> groups) {
    WindowNewRows {
        groups = List.copyOf(groups);
    }

    /**
     * Reads the rows of {@code source} (as {@link WindowBuilder} found it: its checkpoint, no clock yet) loaded since
     * the model's checkpoint of it, grouped by run, and also by interval when {@code byInterval} (the model has built
     * intervals they may be late for). One statement where three were (greatest run and event time, late rows by
     * interval, the runs whose arrival to measure); the greatest event time before them comes from the build's
     * {@code records} (measured arrivals), or a scan of the source when none was measured.
     */
    static WindowNewRows read(Session session, IntervalGrid grid, TimedSource source, WindowBuildRecords records,
            boolean byInterval) {
        String data = Tracked.data(source.source());
        String utc = source.utc();
        String select = Tracked.RUN + ", count(*), max(" + utc + ")" + (byInterval ? ", "
                + WindowSql.indexSql(grid, utc, session.dialect()) + ", " + utc + " >= "
                + Sql.literal(grid.startOf(0)) : "");
        TreeMap<Long, TimedSource.Load> loads = new TreeMap<>();
        List<long[]> groups = new ArrayList<>();
        LocalDateTime newest = null;
        // Only the rows the model has not read yet are scanned: the rest is known from earlier measurements.
        for (List<Object> row : session.query("SELECT " + select + " FROM " + data + " AS d WHERE " + Tracked.RUN
                + " > ? GROUP BY ALL", source.checkpoint()).values()) {
            long run = ((Number) row.get(0)).longValue();
            long rows = ((Number) row.get(1)).longValue();
            LocalDateTime max = (LocalDateTime) row.get(2);
            loads.merge(run, new TimedSource.Load(run, rows, max), (a, b) -> new TimedSource.Load(run,
                    a.rows() + b.rows(), IntervalStates.later(a.maxEvent(), b.maxEvent())));
            newest = IntervalStates.later(newest, max);
            // rows before the grid's start, or without an event time, belong to no interval
            if (byInterval && Boolean.TRUE.equals(row.get(4))) {
                groups.add(new long[] {((Number) row.get(3)).longValue(), run, rows});
            }
        }
        groups.sort(Comparator.<long[]>comparingLong(group -> group[0]).thenComparingLong(group -> group[1]));
        long checkpoint = source.checkpoint();
        LocalDateTime frontier = records.frontier(source.source().qualifiedName(), source.column());
        LocalDateTime known = checkpoint < 0 ? null : frontier != null ? frontier
                : (LocalDateTime) session.query("SELECT max(" + utc + ") FROM " + data + " AS d").single();
        return new WindowNewRows(new TimedSource(source.source(), source.column(), source.type(), utc, checkpoint,
                loads.isEmpty() ? Math.max(0, checkpoint) : loads.lastKey(), IntervalStates.later(known, newest),
                List.copyOf(loads.values())), groups);
    }

    /** The late rows among them: rows for an interval built before they were loaded, with their fate. */
    List<LateGroup> lateGroups(TimeWindow window, IntervalGrid grid, IntervalStates states, LocalDateTime runStart) {
        return lateGroups(source, window, grid, states, runStart);
    }

    /**
     * {@link #lateGroups(TimeWindow, IntervalGrid, IntervalStates, LocalDateTime)} judged on the clock of
     * {@code clocked} (the source with a greatest event time that counts rows not loaded yet, for a plan's preview).
     */
    List<LateGroup> lateGroups(TimedSource clocked, TimeWindow window, IntervalGrid grid, IntervalStates states,
            LocalDateTime runStart) {
        LocalDateTime clock = window.clock() == TimeWindow.Clock.PROCESSING || clocked.maxEvent() == null
                ? runStart : clocked.maxEvent();
        List<LateGroup> late = new ArrayList<>();
        for (long[] group : groups) {
            Optional<IntervalState> state = states.at(group[0]);
            if (state.isPresent() && group[1] > state.get().runId()) {
                late.add(new LateGroup(clocked, group[0], group[1], group[2], Lateness.secondsAfterEnd(grid, group[0],
                        clock), Lateness.decide(window, grid, group[0], clock)));
            }
        }
        return late;
    }
}
