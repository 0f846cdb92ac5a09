package dev.sluice.catalog;

import dev.sluice.engine.Cursor;
import dev.sluice.engine.Engine;
import dev.sluice.engine.Rows;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** {@link SourceStateStore} on the DuckDB tables of schema {@code sluice}. */
final class DuckDbSourceStateStore implements SourceStateStore {
    private final Engine engine;

    DuckDbSourceStateStore(Engine engine) {
        this.engine = engine;
    }

    /**
     * Read through a cursor, each time as microseconds where the engine can say so: a million entries read as JDBC
     * timestamps (each converted through {@code java.sql.Timestamp}) and kept as rows first took seconds (detect).
     */
    @Override
    public Map<String, ManifestRecord> manifest(String source) {
        try (Session session = engine.session()) {
            String time = session instanceof PostgresCatalogSession ? "modified_at"
                    : session.dialect().microsBetween("TIMESTAMP '1970-01-01 00:00:00'", "modified_at");
            Map<String, ManifestRecord> manifest = new HashMap<>();
            try (Cursor rows = session.stream("SELECT path, size, " + time + ", content_hash, row_count, run_id "
                    + "FROM sluice.file_manifest WHERE source = ?", source)) {
                while (rows.hasNext()) {
                    List<Object> row = rows.next();
                    String path = (String) row.get(0);
                    manifest.put(path, new ManifestRecord(source, path, ((Number) row.get(1)).longValue(),
                            localTime(row.get(2)), (String) row.get(3), ((Number) row.get(4)).longValue(),
                            ((Number) row.get(5)).longValue()));
                }
            }
            return manifest;
        }
    }

    /** A {@code TIMESTAMP} read as itself or as microseconds since 1970-01-01 00:00:00. */
    private static LocalDateTime localTime(Object value) {
        if (value instanceof LocalDateTime time) {
            return time;
        }
        long micros = ((Number) value).longValue();
        return LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                (int) Math.floorMod(micros, 1_000_000L) * 1000, java.time.ZoneOffset.UTC);
    }

    private static ManifestRecord manifestRecord(List<Object> row) {
        return new ManifestRecord((String) row.get(0), (String) row.get(1), ((Number) row.get(2)).longValue(),
                (LocalDateTime) row.get(3), (String) row.get(4), ((Number) row.get(5)).longValue(),
                ((Number) row.get(6)).longValue());
    }

    @Override
    public void recordManifest(Session session, List<ManifestRecord> files) {
        for (List<ManifestRecord> batch : CatalogRows.batches(files)) {
            List<String> rows = new ArrayList<>();
            for (ManifestRecord file : batch) {
                rows.add("(" + String.join(", ", Sql.literal(file.source()), Sql.literal(file.path()),
                        Sql.literal(file.size()), Sql.literal(file.modifiedAt()), Sql.literal(file.contentHash()),
                        Sql.literal(file.rowCount()), Sql.literal(file.runId())) + ")");
            }
            session.execute("INSERT OR REPLACE INTO sluice.file_manifest VALUES " + String.join(", ", rows));
        }
    }

    @Override
    public void forgetManifest(Session session, String source, List<String> paths) {
        for (List<String> batch : CatalogRows.batches(paths)) {
            session.execute("DELETE FROM sluice.file_manifest WHERE source = ? AND path IN (" + String.join(", ",
                    batch.stream().map(Sql::literal).toList()) + ")", source);
        }
    }

    @Override
    public List<ManifestRecord> manifestFiles(String source, long afterRun, long upToRun) {
        try (Session session = engine.session()) {
            return session.query("SELECT source, path, size, modified_at, content_hash, row_count, run_id "
                    + "FROM sluice.file_manifest WHERE source = ? AND run_id > ? AND run_id <= ? ORDER BY path",
                    source, afterRun, upToRun).values().stream().map(DuckDbSourceStateStore::manifestRecord).toList();
        }
    }

    @Override
    public void recordDetection(Session session, DetectionRecord record) {
        session.execute("INSERT INTO sluice.detections VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                record.runId(), record.source(), record.filesSeen(), record.newFiles(), record.modifiedFiles(),
                record.deletedFiles(), record.newRows(), record.changedRows(), record.retractedRows(),
                record.watermarkFrom(), record.watermarkTo(), record.durationMs(), record.details());
    }

    @Override
    public Optional<List<String>> watermarkRange(String source, long afterRun, long upToRun) {
        try (Session session = engine.session()) {
            // The first known low mark and the last high mark of the slice (as DuckDB's arg_min/arg_max, which skip
            // NULLs, gave them: a source's first read has no low mark), in SQL both catalog kinds run.
            String slice = "FROM sluice.detections WHERE source = ? AND run_id > ? AND run_id <= ? "
                    + "AND watermark_to IS NOT NULL";
            List<Object> row = session.query("SELECT (SELECT watermark_from " + slice + " AND watermark_from IS NOT NULL "
                    + "ORDER BY run_id LIMIT 1), (SELECT watermark_to " + slice + " ORDER BY run_id DESC LIMIT 1)",
                    source, afterRun, upToRun, source, afterRun, upToRun).values().get(0);
            return row.get(1) == null ? Optional.empty()
                    : Optional.of(Arrays.asList((String) row.get(0), (String) row.get(1)));
        }
    }

    @Override
    public boolean rowsChangedSince(String source, long afterRun) {
        try (Session session = engine.session()) {
            return session.query("SELECT count(*) FROM sluice.detections WHERE source = ? AND run_id > ? "
                    + "AND (modified_files > 0 OR changed_rows > 0)", source, afterRun).singleLong() > 0;
        }
    }

    @Override
    public boolean rowsRetractedSince(String source, long afterRun) {
        try (Session session = engine.session()) {
            return session.query("SELECT count(*) FROM sluice.detections WHERE source = ? AND run_id > ? "
                    + "AND retracted_rows > 0", source, afterRun).singleLong() > 0;
        }
    }

    @Override
    public long lastLoad(String source) {
        try (Session session = engine.session()) {
            Object run = session.query("SELECT max(run_id) FROM sluice.detections WHERE source = ?", source).single();
            return run == null ? 0 : ((Number) run).longValue();
        }
    }

    @Override
    public Optional<String> watermark(String source) {
        try (Session session = engine.session()) {
            return Optional.ofNullable((String) session.query("SELECT watermark FROM sluice.watermarks "
                    + "WHERE source = ?", source).single());
        }
    }

    @Override
    public void recordWatermark(Session session, String source, String watermark, long runId) {
        session.execute("INSERT OR REPLACE INTO sluice.watermarks VALUES (?, ?, ?)", source, watermark, runId);
    }

    @Override
    public Map<Integer, Long> streamOffsets(String source, String topic) {
        try (Session session = engine.session()) {
            Map<Integer, Long> offsets = new HashMap<>();
            session.query("SELECT \"partition\", next_offset FROM sluice.stream_offsets WHERE source = ? AND topic = ?",
                    source, topic).values().forEach(row -> offsets.put(((Number) row.get(0)).intValue(),
                            ((Number) row.get(1)).longValue()));
            return offsets;
        }
    }

    @Override
    public void recordStreamOffsets(Session session, String source, String topic, Map<Integer, Long> offsets,
            long runId) {
        for (Map.Entry<Integer, Long> offset : offsets.entrySet()) {
            session.execute("INSERT OR REPLACE INTO sluice.stream_offsets VALUES (?, ?, ?, ?, ?)", source, topic,
                    offset.getKey(), offset.getValue(), runId);
        }
    }

    @Override
    public void forgetSource(Session session, String source) {
        session.execute("DELETE FROM sluice.file_manifest WHERE source = ?", source);
        session.execute("DELETE FROM sluice.watermarks WHERE source = ?", source);
        session.execute("DELETE FROM sluice.stream_offsets WHERE source = ?", source);
    }

    @Override
    public void recordSourceLoad(Session session, SourceLoadRecord record) {
        session.execute("INSERT INTO sluice.source_loads VALUES (?, ?, ?, ?, ?, ?, ?)",
                record.runId(), record.source(), record.status(), record.rows(), record.rejected(),
                record.durationMs(), record.error());
    }

    @Override
    public void recordRejects(Session session, long runId, String source, String errorsTable, String scansTable,
            UnaryOperator<String> storedFile) {
        if (session instanceof OutboxSession) {
            // the rejected lines are in the warehouse session's temporary tables, the catalog elsewhere
            recordRejects(session, runId, source, readRejects(session, errorsTable, scansTable, Integer.MAX_VALUE,
                    storedFile));
            return;
        }
        session.execute("INSERT INTO sluice.rejects SELECT ?, ?, " + rejectColumns(storedFile) + " FROM "
                + rejectsJoin(errorsTable, scansTable), runId, source);
    }

    @Override
    public Rows readRejects(Session session, String errorsTable, String scansTable, int limit,
            UnaryOperator<String> storedFile) {
        return session.query("SELECT " + rejectColumns(storedFile) + " FROM " + rejectsJoin(errorsTable, scansTable)
                + " ORDER BY s.file_path, e.line LIMIT ?", limit);
    }

    @Override
    public void recordRejects(Session session, long runId, String source, Rows rejects) {
        for (List<Object> row : rejects.values()) {
            session.execute("INSERT INTO sluice.rejects VALUES (?, ?, ?, ?, ?, ?, ?, ?)", runId, source, row.get(0),
                    row.get(1), row.get(2), row.get(3), row.get(4), row.get(5));
        }
    }

    private static String rejectColumns(UnaryOperator<String> storedFile) {
        return storedFile.apply("s.file_path")
                + ", e.line, e.column_name, CAST(e.error_type AS VARCHAR), e.error_message, e.csv_line";
    }

    private static String rejectsJoin(String errorsTable, String scansTable) {
        return errorsTable + " e JOIN " + scansTable + " s ON e.scan_id = s.scan_id AND e.file_id = s.file_id";
    }

    @Override
    public Map<String, Long> checkpoints(String model) {
        try (Session session = engine.session()) {
            Map<String, Long> checkpoints = new HashMap<>();
            session.query("SELECT source, processed_run FROM sluice.checkpoints WHERE model = ?", model).values()
                    .forEach(row -> checkpoints.put((String) row.get(0), ((Number) row.get(1)).longValue()));
            return checkpoints;
        }
    }

    @Override
    public void recordCheckpoint(Session session, String model, String source, long processedRun, long runId) {
        session.execute("INSERT OR REPLACE INTO sluice.checkpoints VALUES (?, ?, ?, ?, ?)", model, source, processedRun,
                runId, LocalDateTime.now());
    }

    @Override
    public void moveCheckpoint(Session session, String model, String source, long processedRun, long runId) {
        // half the cost of INSERT OR REPLACE, whose conflict check DuckDB plans and runs for one row (bench/WINDOWS.md)
        session.execute("UPDATE sluice.checkpoints SET processed_run = ?, run_id = ?, updated_at = ? WHERE model = ? "
                + "AND source = ?", processedRun, runId, LocalDateTime.now(), model, source);
    }

    @Override
    public long resetCheckpoints(String model) {
        try (Session session = engine.session()) {
            long count = session.query("SELECT count(*) FROM sluice.checkpoints WHERE model = ?", model).singleLong();
            session.execute("DELETE FROM sluice.checkpoints WHERE model = ?", model);
            return count;
        }
    }

    @Override
    public Rows manifestSummary() {
        return query("SELECT source, count(*) AS files, sum(size) AS bytes, sum(row_count) AS rows, max(modified_at) "
                + "AS newest_file, max(run_id) AS last_read_run FROM sluice.file_manifest GROUP BY source "
                + "ORDER BY source");
    }

    @Override
    public Rows checkpointRows(String model) {
        return query("SELECT model, source, processed_run, run_id, updated_at FROM sluice.checkpoints WHERE ? IS NULL "
                + "OR model = ? ORDER BY model, source", model, model);
    }

    @Override
    public Rows recentDetections(int limit) {
        return query("SELECT run_id, source, files_seen, new_files, modified_files, deleted_files, new_rows, "
                + "retracted_rows, duration_ms FROM sluice.detections ORDER BY run_id DESC, source LIMIT ?", limit);
    }

    @Override
    public Rows detections(long runId) {
        return query("SELECT source, new_rows, changed_rows, retracted_rows, watermark_from, watermark_to "
                + "FROM sluice.detections WHERE run_id = ? ORDER BY source", runId);
    }

    private Rows query(String sql, Object... parameters) {
        try (Session session = engine.session()) {
            return session.query(sql, parameters);
        }
    }
}
