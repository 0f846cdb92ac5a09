package dev.sluice.catalog;

import dev.sluice.engine.Engine;
import dev.sluice.engine.Rows;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@link WindowStore} on the DuckDB tables of schema {@code sluice}. */
final class DuckDbWindowStore implements WindowStore {
    private final Engine engine;

    DuckDbWindowStore(Engine engine) {
        this.engine = engine;
    }

    @Override
    public WindowBuildRecords buildRecords(String model, List<String> upstreams, List<String> sources) {
        try (Session session = engine.session()) {
            return buildRecords(session, model, upstreams, sources);
        }
    }

    @Override
    public WindowBuildRecords buildRecords(Session session, String model, List<String> upstreams,
            List<String> sources) {
        // One statement instead of one per table (and per source): each is a round trip and, under load, several
        // milliseconds of a build whose work may take a few tens. The names are written as literals, not bound as
        // parameters: bound, the read of the benchmark's hourly model cost 8.2 ms against 4.9 (bench/WINDOWS.md).
        List<String> models = new ArrayList<>(List.of(model));
        models.addAll(upstreams);
        String name = Sql.string(model);
        StringBuilder sql = new StringBuilder("SELECT 'interval' AS kind, model AS s1, grain AS s2, state AS s3, "
                + "interval_start AS t1, interval_end AS t2, max_event_time AS t3, intervals AS n1, run_id AS n2, "
                + "rows AS n3, CAST(NULL AS DOUBLE) AS d1 "
                + "FROM sluice.intervals WHERE model IN (" + strings(models) + ") "
                + "UNION ALL SELECT 'last', sql_hash, materialized, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM "
                + "(SELECT sql_hash, materialized FROM sluice.model_runs WHERE model = " + name
                + " AND status IN ('success', 'up_to_date') ORDER BY run_id DESC LIMIT 1) AS last_success "
                // the late rows the model's builds leave out, written into its SQL (WindowLateRows)
                + "UNION ALL SELECT 'late', source, disposition, NULL, interval_start, interval_end, assigned_to, "
                + "arrival_run, run_id, rows, lateness_seconds FROM sluice.late_rows WHERE model = " + name
                + " AND disposition IN ('quarantined', 'dropped', 'reassigned')");
        if (!sources.isEmpty()) {
            // Only a model reading tracked sources has checkpoints, changes since them and arrivals to read: each
            // branch costs DuckDB about a millisecond to plan and run, empty or not.
            // Each checkpoint with whether the detections since it changed or retracted rows: one LEFT JOIN, not a
            // branch for the checkpoints and another joining them again with the detections.
            sql.append(" UNION ALL SELECT 'checkpoint', c.source, NULL, NULL, NULL, NULL, NULL, c.processed_run, "
                    + "max(CASE WHEN d.modified_files > 0 OR d.changed_rows > 0 THEN 1 ELSE 0 END), "
                    + "max(CASE WHEN d.retracted_rows > 0 THEN 1 ELSE 0 END), NULL "
                    + "FROM sluice.checkpoints AS c LEFT JOIN sluice.detections AS d ON d.source = c.source "
                    + "AND d.run_id > c.processed_run WHERE c.model = ").append(name)
                    .append(" GROUP BY c.source, c.processed_run");
            // Arrivals after the model's checkpoint of a source one by one (the loads the build measures, if not yet
            // measured, and the frontier before each), those up to it as one row per column and clock, without a
            // run: their greatest event time, the frontier before the loads after the checkpoint.
            String after = "CASE WHEN a.run_id > coalesce(c.processed_run, -1) THEN a.run_id END";
            sql.append(" UNION ALL SELECT 'arrival', a.source, a.column_name, a.clock, max(a.max_event_time), NULL, "
                    + "NULL, NULL, ").append(after).append(", NULL, NULL FROM sluice.arrival_lateness AS a LEFT JOIN "
                    + "sluice.checkpoints AS c ON c.model = ").append(name).append(" AND c.source = a.source WHERE "
                    + "a.source IN (").append(strings(sources)).append(") GROUP BY a.source, a.column_name, a.clock, ")
                    .append(after);
        }
        Map<String, List<IntervalRecord>> intervals = new HashMap<>();
        Map<String, Long> checkpoints = new HashMap<>();
        Set<String> changed = new HashSet<>();
        Set<String> retracted = new HashSet<>();
        Map<String, Map<String, LocalDateTime>> frontiers = new HashMap<>();
        List<WindowBuildRecords.Arrival> arrivals = new ArrayList<>();
        List<LateRowsRecord> setAside = new ArrayList<>();
        String[] last = {null, null};
        for (List<Object> row : session.query(sql.toString()).values()) {
            String s1 = (String) row.get(1);
            switch ((String) row.get(0)) {
                case "interval" -> intervals.computeIfAbsent(s1, m -> new ArrayList<>()).add(new IntervalRecord(s1,
                        (LocalDateTime) row.get(4), (LocalDateTime) row.get(5), number(row.get(7)),
                        (String) row.get(2), (String) row.get(3), number(row.get(8)), number(row.get(9)),
                        (LocalDateTime) row.get(6)));
                case "checkpoint" -> {
                    checkpoints.put(s1, number(row.get(7)));
                    if (number(row.get(8)) > 0) {
                        changed.add(s1);
                    }
                    if (number(row.get(9)) > 0) {
                        retracted.add(s1);
                    }
                }
                case "last" -> {
                    last[0] = s1;
                    last[1] = (String) row.get(2);
                }
                case "late" -> setAside.add(new LateRowsRecord(number(row.get(8)), model, s1,
                        (LocalDateTime) row.get(4), (LocalDateTime) row.get(5), number(row.get(7)),
                        (String) row.get(2), number(row.get(9)), ((Number) row.get(10)).doubleValue(),
                        (LocalDateTime) row.get(6)));
                default -> {
                    LocalDateTime maxEvent = (LocalDateTime) row.get(4);
                    if (row.get(8) != null) {
                        arrivals.add(new WindowBuildRecords.Arrival(s1, (String) row.get(2), (String) row.get(3),
                                number(row.get(8)), maxEvent));
                    } else if (maxEvent != null) {
                        // up to the checkpoint: the frontier of the column on every clock
                        frontiers.computeIfAbsent(s1, s -> new HashMap<>()).merge((String) row.get(2), maxEvent,
                                (a, b) -> a.isAfter(b) ? a : b);
                    }
                }
            }
        }
        intervals.values().forEach(list -> list.sort(Comparator.comparing(IntervalRecord::start)));
        setAside.sort(Comparator.comparingLong(LateRowsRecord::runId).thenComparing(LateRowsRecord::source)
                .thenComparing(LateRowsRecord::intervalStart));
        return new WindowBuildRecords(intervals, checkpoints, last[0], last[1], changed, retracted, frontiers,
                arrivals, setAside);
    }

    private static String strings(List<String> values) {
        return String.join(", ", values.stream().map(Sql::string).toList());
    }

    private static long number(Object value) {
        return ((Number) value).longValue();
    }

    @Override
    public void replaceIntervals(Session session, String model, List<LocalDateTime> removedStarts,
            List<IntervalRecord> added) {
        for (List<LocalDateTime> batch : CatalogRows.batches(removedStarts)) {
            session.execute("DELETE FROM sluice.intervals WHERE model = ? AND interval_start IN (" + String.join(", ",
                    batch.stream().map(Sql::literal).toList()) + ")", model);
        }
        List<List<Object>> rows = new ArrayList<>();
        for (IntervalRecord r : added) {
            rows.add(Arrays.asList(r.model(), r.start(), r.end(), r.intervals(), r.grain(), r.state(),
                    r.runId(), r.rows(), r.maxEventTime()));
        }
        CatalogRows.insert(session, "intervals", rows);
    }

    @Override
    public void forgetIntervals(Session session, String model) {
        session.execute("DELETE FROM sluice.intervals WHERE model = ?", model);
    }

    @Override
    public void recordLateRows(Session session, List<LateRowsRecord> records) {
        List<List<Object>> rows = new ArrayList<>();
        for (LateRowsRecord r : records) {
            rows.add(Arrays.asList(r.runId(), r.model(), r.source(), r.intervalStart(), r.intervalEnd(),
                    r.arrivalRun(), r.disposition(), r.rows(), r.latenessSeconds(), r.assignedTo()));
        }
        CatalogRows.insert(session, "late_rows", rows);
    }

    @Override
    public void recordWindowRun(Session session, WindowRunRecord r) {
        // A model is built once per run: a plain INSERT, whose conflict (a bug) fails the build, where DuckDB's INSERT
        // OR REPLACE cost three to four times as much (bench/WINDOWS.md). Not appended: DuckDB's appender drops rows
        // that break a primary key without a word.
        session.execute("INSERT INTO sluice.window_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                r.runId(), r.model(), r.intervalsProcessed(), r.intervalsRebuilt(), r.rowsWritten(), r.rowsRebuilt(),
                r.lateWithin(), r.lateReprocessed(), r.lateQuarantined(), r.lateDropped(), r.lateReassigned(),
                r.completeUntil(), r.detail());
    }

    @Override
    public void recordArrivalLateness(Session session, ArrivalLatenessRecord r) {
        session.execute("INSERT OR IGNORE INTO sluice.arrival_lateness VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                r.runId(), r.source(), r.column(), r.clock(), r.rows(), r.lateRows(), r.p50(), r.p95(), r.p99(),
                r.max(), r.histogram(), r.maxEventTime());
    }

    @Override
    public void recordNewArrivals(Session session, List<ArrivalLatenessRecord> records) {
        // without the conflict check of INSERT OR IGNORE (a third of the cost); not appended, as recordWindowRun
        for (ArrivalLatenessRecord r : records) {
            session.execute("INSERT INTO sluice.arrival_lateness VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    r.runId(), r.source(), r.column(), r.clock(), r.rows(), r.lateRows(), r.p50(), r.p95(), r.p99(),
                    r.max(), r.histogram(), r.maxEventTime());
        }
    }

    @Override
    public Set<Long> measuredArrivals(Session session, String source, String column, String clock) {
        Set<Long> runs = new HashSet<>();
        session.query("SELECT run_id FROM sluice.arrival_lateness WHERE source = ? AND column_name = ? AND clock = ?",
                source, column, clock).values().forEach(row -> runs.add(((Number) row.get(0)).longValue()));
        return runs;
    }

    @Override
    public List<ArrivalLatenessRecord> arrivalLateness(String source, String column, String clock) {
        try (Session session = engine.session()) {
            List<ArrivalLatenessRecord> records = new ArrayList<>();
            for (List<Object> row : session.query("SELECT run_id, source, column_name, clock, rows, late_rows, "
                    + "p50_seconds, p95_seconds, p99_seconds, max_seconds, histogram, max_event_time "
                    + "FROM sluice.arrival_lateness WHERE source = ? AND column_name = ? AND clock = ? "
                    + "ORDER BY run_id", source, column, clock).values()) {
                records.add(new ArrivalLatenessRecord(((Number) row.get(0)).longValue(), (String) row.get(1),
                        (String) row.get(2), (String) row.get(3), ((Number) row.get(4)).longValue(),
                        ((Number) row.get(5)).longValue(), CatalogRows.toDouble(row.get(6)),
                        CatalogRows.toDouble(row.get(7)), CatalogRows.toDouble(row.get(8)),
                        CatalogRows.toDouble(row.get(9)), (String) row.get(10), (LocalDateTime) row.get(11)));
            }
            return records;
        }
    }

    @Override
    public Optional<LocalDateTime> eventFrontier(Session session, String source, String column, long beforeRun) {
        return Optional.ofNullable((LocalDateTime) session.query("SELECT max(max_event_time) "
                + "FROM sluice.arrival_lateness WHERE source = ? AND column_name = ? AND run_id < ?", source, column,
                beforeRun).single());
    }

    @Override
    public Rows intervalRanges() {
        try (Session session = engine.session()) {
            return session.query("SELECT model, interval_start, interval_end, intervals, grain, state, run_id, rows, "
                    + "max_event_time FROM sluice.intervals ORDER BY model, interval_start");
        }
    }

    @Override
    public Rows lateRowSummary() {
        try (Session session = engine.session()) {
            return session.query("SELECT model, source, disposition, count(DISTINCT interval_start) AS intervals, "
                    + "sum(rows) AS rows, max(run_id) AS last_run FROM sluice.late_rows "
                    + "GROUP BY model, source, disposition ORDER BY 1, 2, 3, 4, 5, 6");
        }
    }
}
