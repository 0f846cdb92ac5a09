package dev.sluice.exec;

import dev.sluice.catalog.LateRowsRecord;
import dev.sluice.connect.Tracked;
import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.engine.Session;
import dev.sluice.engine.Dialect;
import dev.sluice.engine.Sql;
import dev.sluice.plan.PlannedModel;
import dev.sluice.project.TimeWindow;
import dev.sluice.window.IndexRange;
import dev.sluice.window.IntervalGrid;
import dev.sluice.window.RangeSet;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The SQL of windowed builds: a model's SQL reading only some intervals of its sources, and interval conditions. */
final class WindowSql {
    private WindowSql() {
    }

    /**
     * The model's SQL building the intervals of {@code batch}: each timed source read only in those intervals, each
     * widened back by the lookback, without the rows that {@code lateRows} (the model's late-row records) quarantined,
     * dropped or moved to a later interval; moved rows are read in the interval they were moved to.
     */
    static String windowSql(Dialect dialect, PlannedModel planned, IntervalGrid grid, List<TimedSource> sources,
            RangeSet batch, List<LateRowsRecord> lateRows) {
        Map<String, TimedSource> byName = new LinkedHashMap<>();
        sources.forEach(s -> byName.put(s.source().qualifiedName(), s));
        RangeSet read = batch.widenedBefore(grid.intervalsIn(planned.model().time().lookback()));
        return planned.executableSql(name -> {
            TimedSource source = byName.get(name);
            if (source == null) {
                return PlannedModel.QUOTED_SOURCES.apply(name);
            }
            String data = Tracked.data(source.source());
            String setAside = read.isEmpty() ? null : WindowLateRows.setAside(lateRows, name, source.utc(),
                    grid.startOf(read.first()), grid.startOf(read.end()));
            String kept = inRanges(source.utc(), grid, read, dialect) + (setAside == null ? "" : " AND NOT ("
                    + setAside + ")");
            List<WindowLateRows.Move> moves = planned.model().time().latePolicy() == TimeWindow.LatePolicy.CURRENT
                    ? WindowLateRows.moves(lateRows, name, source.utc(), grid, read) : List.of();
            if (moves.isEmpty()) {
                return "(SELECT " + Tracked.untagged(dialect) + " FROM " + data + " AS d WHERE " + kept + ")";
            }
            // One scan: rows moved to a later interval are read with the start of that interval as their event time
            // (the time column comes last then; a union would need Spark's missing UNION ALL BY NAME).
            String column = Sql.identifier(source.column());
            StringBuilder when = new StringBuilder("CASE");
            moves.forEach(move -> when.append(" WHEN ").append(move.condition()).append(" THEN ")
                    .append(Sql.literal(move.to())));
            return "(SELECT " + Tracked.untagged(dialect) + " FROM (SELECT " + dialect.allColumnsExcept(source.column())
                    + ", CAST(" + when + " ELSE d." + column + " END AS " + source.type() + ") AS " + column + " FROM "
                    + data + " AS d WHERE (" + kept + ") OR " + String.join(" OR ", moves.stream()
                            .map(WindowLateRows.Move::condition).toList()) + ") AS moved)";
        });
    }

    static String between(String utc, LocalDateTime from, LocalDateTime to) {
        return utc + " >= " + Sql.literal(from) + " AND " + utc + " < " + Sql.literal(to);
    }

    /**
     * A condition holding for times in the set's intervals: a time range for one range; for several, the range
     * around them all (which zone maps prune on) and the interval index in the set's indexes.
     */
    static String inRanges(String utc, IntervalGrid grid, RangeSet set, Dialect dialect) {
        if (set.isEmpty()) {
            return "false";
        }
        String hull = "(" + between(utc, grid.startOf(set.first()), grid.startOf(set.end())) + ")";
        if (set.ranges().size() == 1) {
            return hull;
        }
        List<Dialect.IndexSpan> spans = new ArrayList<>();
        for (IndexRange range : set.ranges()) {
            spans.add(new Dialect.IndexSpan(range.from(), range.to()));
        }
        return "(" + hull + " AND " + dialect.inSpans(indexSql(grid, utc, dialect), spans) + ")";
    }

    /**
     * An expression in {@code dialect}'s SQL giving the interval index of {@code utcTime} (a TIMESTAMP expression in
     * UTC) on {@code grid}, computed as {@link IntervalGrid#index} does for times at or after the grid's start.
     */
    static String indexSql(IntervalGrid grid, String utcTime, Dialect dialect) {
        String origin = "TIMESTAMP '" + grid.start().toString().replace('T', ' ') + "'";
        if (grid.grain().calendar()) {
            // the start of a calendar grid is the first of a month at midnight: months between = calendar months
            return "CAST(floor(" + dialect.monthsBetween(origin, utcTime) + " / " + grid.grain().months()
                    + ") AS BIGINT)";
        }
        return "CAST(floor(" + dialect.microsBetween(origin, utcTime) + " / " + grid.grain().seconds() * 1_000_000L
                + ") AS BIGINT)";
    }

    /** A UTC TIMESTAMP expression in {@code dialect}'s SQL for a time column of the given (DuckDB) type name. */
    static String utc(Dialect dialect, String column, String type, String what) {
        String upper = type.toUpperCase(Locale.ROOT);
        if (upper.equals("TIMESTAMP WITH TIME ZONE")) {
            return dialect.utcWallClock(column);
        }
        if (upper.equals("TIMESTAMP") || upper.equals("DATETIME")) {
            return column;
        }
        if (upper.startsWith("TIMESTAMP")) {
            return "CAST(" + column + " AS TIMESTAMP)";
        }
        if (upper.equals("DATE")) {
            return "CAST(" + column + " AS TIMESTAMP)";
        }
        throw new SluiceException(ErrorCode.MODEL_INVALID, "the time column %s is %s, not a TIMESTAMP, TIMESTAMPTZ or "
                + "DATE; cast it (CAST(x AS TIMESTAMP)) or declare the source column's type", what, type);
    }

    static void checkColumns(Session session, String table, String staging) {
        Map<String, String> existing = ModelBuilder.columns(session, table);
        Map<String, String> staged = ModelBuilder.columns(session, staging);
        if (!existing.equals(staged)) {
            throw new SluiceException(ErrorCode.RUN_FAILED, "its columns changed (%s became %s); rebuild it with "
                    + "--full-refresh", existing, staged);
        }
    }
}
