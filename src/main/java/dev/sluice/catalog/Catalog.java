package dev.sluice.catalog;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.engine.Engine;
import dev.sluice.engine.Rows;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The metadata store: tables in schema {@code sluice} of the warehouse. Thread-safe; writes that belong to a
 * model's publish take the caller's session so they commit in the caller's transaction.
 */
public final class Catalog {
    /** The catalog version that added {@code schema_version.checksum}. */
    private static final int CHECKSUMS_SINCE = 11;
    private final Engine engine;
    private final List<Long> closedRuns;

    private Catalog(Engine engine, List<Long> closedRuns) {
        this.engine = engine;
        this.closedRuns = List.copyOf(closedRuns);
    }

    /**
     * Opens the catalog for writing, applying every migration it lacks, and marks the runs a dead process left
     * {@code running} as {@code killed}; call while holding the warehouse lock (every run still running then belongs
     * to a process that is gone). Refuses a damaged catalog or one written by a newer Sluice.
     */
    public static Catalog open(Engine engine) {
        return open(engine, Migrations.load());
    }

    /** {@link #open(Engine)} with the given migrations (a test's edited ones). */
    static Catalog open(Engine engine, List<Migrations.Migration> migrations) {
        try (Session session = engine.session()) {
            CatalogState state = CatalogState.read(session);
            state.requireUsable(migrations, session);
            Map<Integer, String> checksums = checksums(session, state);
            requireUnchanged(state, migrations, checksums);
            if (state.absent()) {
                session.execute("CREATE SCHEMA IF NOT EXISTS sluice");
                session.execute("CREATE TABLE IF NOT EXISTS sluice.schema_version ("
                        + "version INTEGER PRIMARY KEY, description VARCHAR NOT NULL, installed_at TIMESTAMP NOT NULL)");
            }
            // Every missing version, not only those above the highest: versions are reserved per feature and may
            // be released out of order (a catalog at V7 still gets V5 when it ships).
            for (Migrations.Migration migration : migrations) {
                if (!state.versions().contains(migration.version())) {
                    apply(session, migration);
                }
            }
            recordChecksums(session, migrations);
            return new Catalog(engine, closeInterruptedRuns(session));
        }
    }

    /**
     * Opens a catalog for reading without migrating it (for read-only warehouses); fails when it is missing, damaged
     * or too new.
     */
    public static Catalog openExisting(Engine engine) {
        return openIfPresent(engine).orElseThrow(() -> new SluiceException(ErrorCode.USAGE,
                "Cannot read the catalog: the warehouse has none yet; run the pipeline first (sluice run DIR)"));
    }

    /**
     * Opens a catalog for reading without migrating it, or empty when the warehouse has none yet; fails when it is
     * damaged or too new.
     */
    public static Optional<Catalog> openIfPresent(Engine engine) {
        try (Session session = engine.session()) {
            CatalogState state = CatalogState.read(session);
            List<Migrations.Migration> migrations = Migrations.load();
            state.requireUsable(migrations, session);
            requireUnchanged(state, migrations, checksums(session, state));
            return state.absent() ? Optional.empty() : Optional.of(new Catalog(engine, List.of()));
        }
    }

    private static int installedVersion(Session session) {
        Object version = session.query("SELECT max(version) FROM sluice.schema_version").single();
        return version == null ? 0 : ((Number) version).intValue();
    }

    private static void apply(Session session, Migrations.Migration migration) {
        session.begin();
        try {
            session.execute(migration.sql());
            session.execute("INSERT INTO sluice.schema_version (version, description, installed_at) VALUES (?, ?, ?)",
                    migration.version(), migration.description(), LocalDateTime.now());
            session.commit();
        } catch (RuntimeException e) {
            session.rollback();
            throw new SluiceException(ErrorCode.INTERNAL, e, "Cannot apply catalog migration V%d (%s): %s",
                    migration.version(), migration.description(), e.getMessage());
        }
    }

    /**
     * The checksum recorded for each applied version (catalogs before V11, and versions applied before V11 added the
     * column, have none until {@link #recordChecksums} fills them in).
     */
    private static Map<Integer, String> checksums(Session session, CatalogState state) {
        Map<Integer, String> checksums = new HashMap<>();
        if (!state.versions().contains(CHECKSUMS_SINCE)) {
            return checksums;
        }
        for (List<Object> row : session.query("SELECT version, checksum FROM sluice.schema_version "
                + "WHERE checksum IS NOT NULL").values()) {
            checksums.put(((Number) row.get(0)).intValue(), (String) row.get(1));
        }
        return checksums;
    }

    /**
     * Refuses a catalog one of whose applied migrations was edited since: the catalog was built by the text it
     * recorded, and an edited text would never be applied to it (another warehouse would get a different catalog).
     */
    private static void requireUnchanged(CatalogState state, List<Migrations.Migration> migrations,
            Map<Integer, String> checksums) {
        for (Migrations.Migration migration : migrations) {
            String recorded = checksums.get(migration.version());
            if (recorded != null && !recorded.equals(migration.checksum())) {
                throw new SluiceException(ErrorCode.INTERNAL, "Cannot open the catalog of warehouse %s: catalog "
                        + "migration V%d (%s) was edited after it was applied to this warehouse (checksum %s when "
                        + "applied, %s now); restore %s as it was and put the change in a new migration",
                        state.file(), migration.version(), migration.description(), abbreviated(recorded),
                        abbreviated(migration.checksum()), migration.file());
            }
        }
    }

    private static String abbreviated(String checksum) {
        return checksum.substring(0, Math.min(12, checksum.length()));
    }

    /** Records the checksum of every applied version that has none (all of them, on a catalog older than V11). */
    private static void recordChecksums(Session session, List<Migrations.Migration> migrations) {
        for (Migrations.Migration migration : migrations) {
            session.execute("UPDATE sluice.schema_version SET checksum = ? WHERE version = ? AND checksum IS NULL",
                    migration.checksum(), migration.version());
        }
    }

    /** The installed catalog schema version. */
    public int version() {
        try (Session session = engine.session()) {
            return installedVersion(session);
        }
    }

    /** Marks runs left {@code running} by a process that died as {@code killed}; returns their ids, oldest first. */
    private static List<Long> closeInterruptedRuns(Session session) {
        List<Long> runs = new ArrayList<>();
        session.query("SELECT run_id FROM sluice.runs WHERE status = 'running' ORDER BY run_id").values()
                .forEach(row -> runs.add(((Number) row.get(0)).longValue()));
        if (!runs.isEmpty()) {
            session.execute("UPDATE sluice.runs SET status = 'killed' WHERE status = 'running'");
        }
        return runs;
    }

    /** The runs a dead process had left {@code running}, marked {@code killed} when this catalog was opened. */
    public List<Long> closedRuns() {
        return closedRuns;
    }

    /**
     * Records that a command took the warehouse lock over from a process that died holding it ({@code previousHolder}
     * as the lock file named it), with the runs that opening the catalog marked killed.
     */
    public void recordLockTakeover(String command, String previousHolder, String host, long pid) {
        try (Session session = engine.session()) {
            session.execute("INSERT INTO sluice.lock_takeovers VALUES (?, ?, ?, ?, ?, " + closedRuns.stream()
                    .map(String::valueOf).collect(java.util.stream.Collectors.joining(", ", "[", "]::BIGINT[]")) + ")",
                    LocalDateTime.now(), command, host, pid, previousHolder);
        }
    }

    /** Records a new run as running and returns its id. */
    public long startRun(String command, String args, String engineVersion, String sluiceVersion, String host, long pid) {
        try (Session session = engine.session()) {
            long runId = session.query("SELECT nextval('sluice.run_ids')").singleLong();
            session.execute("INSERT INTO sluice.runs VALUES (?, ?, NULL, 'running', ?, ?, ?, ?, ?, ?)",
                    runId, LocalDateTime.now(), command, args, engineVersion, sluiceVersion, host, pid);
            return runId;
        }
    }

    public void finishRun(long runId, String status) {
        try (Session session = engine.session()) {
            session.execute("UPDATE sluice.runs SET status = ?, finished_at = ? WHERE run_id = ?",
                    status, LocalDateTime.now(), runId);
        }
    }

    /** Records a model's outcome; pass the session of the publishing transaction so both commit together. */
    public void recordModelRun(Session session, ModelRunRecord record) {
        session.execute("INSERT INTO sluice.model_runs (run_id, model, relation, materialized, status, rows, bytes, "
                + "started_at, duration_ms, sql_hash, reason, error, build_kind) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                record.runId(), record.model(), record.relation(), record.materialized(), record.status(),
                record.rows(), record.bytes(), record.startedAt(), record.durationMs(), record.sqlHash(),
                record.reason(), record.error(), record.buildKind());
    }

    /**
     * Records the column lineage a run planned: one row per model column and column it depends on, as model, column,
     * source relation, source column, type, subtype, expression text (or null), masking.
     */
    public void recordLineage(Session session, long runId, List<List<Object>> rows) {
        for (int from = 0; from < rows.size(); from += MANIFEST_BATCH) {
            List<String> values = new ArrayList<>();
            for (List<Object> row : rows.subList(from, Math.min(rows.size(), from + MANIFEST_BATCH))) {
                values.add("(" + runId + ", " + String.join(", ", row.stream().map(Sql::literal).toList()) + ")");
            }
            session.execute("INSERT INTO sluice.lineage_columns (run_id, model, column_name, source_relation, "
                    + "source_column, type, subtype, expression, masking) VALUES " + String.join(", ", values));
        }
    }

    /** Records how each model column is computed in this run: rows of model, column, expression digest. */
    public void recordExpressions(Session session, long runId, List<List<String>> rows) {
        for (int from = 0; from < rows.size(); from += MANIFEST_BATCH) {
            List<String> values = new ArrayList<>();
            for (List<String> row : rows.subList(from, Math.min(rows.size(), from + MANIFEST_BATCH))) {
                values.add("(" + runId + ", " + String.join(", ", row.stream().map(Sql::literal).toList()) + ")");
            }
            session.execute("INSERT INTO sluice.column_expressions VALUES " + String.join(", ", values));
        }
    }

    /** How each column of a model was computed when it was last built (column → digest); empty when unknown. */
    public Map<String, String> expressionsAt(String model, long runId) {
        try (Session session = engine.session()) {
            Map<String, String> expressions = new java.util.LinkedHashMap<>();
            session.query("SELECT column_name, expression FROM sluice.column_expressions WHERE model = ? AND run_id = ?",
                    model, runId).values().forEach(row -> expressions.put((String) row.get(0), (String) row.get(1)));
            return expressions;
        }
    }

    /**
     * Records what one model build read and wrote; pass the publishing session so it commits with the model.
     *
     * @param inputs JSON: each relation read and the slice of it
     * @param parameters JSON: the project's vars as the model saw them
     */
    public void recordRunLineage(Session session, long runId, String model, String status, String inputs, Long rows,
            String sqlHash, String sqlText, String verdicts, String engineVersion, String parameters) {
        session.execute("INSERT INTO sluice.lineage_runs (run_id, model, status, inputs, rows, sql_hash, sql_text, "
                + "verdicts, engine_version, parameters) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", runId, model, status,
                inputs, rows, sqlHash, sqlText, verdicts, engineVersion, parameters);
    }

    /** Records the bytes a published table takes on disk, known once its transaction committed. */
    public void recordModelBytes(Session session, long runId, String model, long bytes) {
        session.execute("UPDATE sluice.model_runs SET bytes = ? WHERE run_id = ? AND model = ?", bytes, runId, model);
        session.execute("UPDATE sluice.lineage_runs SET bytes = ? WHERE run_id = ? AND model = ?", bytes, runId, model);
    }

    /**
     * Records what went wrong after a model's publish committed (the published table is complete); in its own
     * transaction, since the publishing one is over.
     */
    public void recordModelWarning(long runId, String model, String warning) {
        try (Session session = engine.session()) {
            session.execute("UPDATE sluice.model_runs SET warning = ? WHERE run_id = ? AND model = ?", warning, runId,
                    model);
        }
    }

    /**
     * A lake version folder the catalog records (catalog V8; claimed before it is written, then current, then
     * retired): the run that wrote it and its path as stored.
     */
    public record LakeVersion(long runId, String path) {
    }

    /** Claims a version folder of a model before its files are written, in its own committed transaction. */
    public void claimLakeVersion(String model, long runId, String path) {
        try (Session session = engine.session()) {
            session.execute("INSERT INTO sluice.lake_versions VALUES (?, ?, ?, 'writing', ?)", model, runId, path,
                    LocalDateTime.now());
        }
    }

    /** True when some model's lake version was recorded at {@code path}: a folder Sluice wrote. */
    public boolean isLakeVersion(String path) {
        try (Session session = engine.session()) {
            return session.query("SELECT count(*) FROM sluice.lake_versions WHERE path = ?", path).singleLong() > 0;
        }
    }

    /**
     * Makes the version a run claimed the model's current one and retires the previous, in the publishing
     * transaction of {@code session}.
     */
    public void publishLakeVersion(Session session, String model, long runId) {
        session.execute("UPDATE sluice.lake_versions SET state = 'retired' WHERE model = ? AND state = 'current'",
                model);
        session.execute("UPDATE sluice.lake_versions SET state = 'current' WHERE model = ? AND run_id = ? "
                + "AND state = 'writing'", model, runId);
    }

    /** The path of a model's current lake version, as stored; empty when none is recorded. */
    public Optional<String> currentLakeVersion(Session session, String model) {
        return Optional.ofNullable((String) session.query("SELECT max(path) FROM sluice.lake_versions WHERE model = ? "
                + "AND state = 'current'", model).single());
    }

    /** A model's recorded lake versions that are not current: retired ones and claims never published. */
    public List<LakeVersion> staleLakeVersions(String model) {
        try (Session session = engine.session()) {
            List<LakeVersion> versions = new ArrayList<>();
            for (List<Object> row : session.query("SELECT run_id, path FROM sluice.lake_versions WHERE model = ? "
                    + "AND state <> 'current' ORDER BY run_id", model).values()) {
                versions.add(new LakeVersion(((Number) row.get(0)).longValue(), (String) row.get(1)));
            }
            return versions;
        }
    }

    /** Forgets a lake version whose folder is gone (deleted, or never written). */
    public void forgetLakeVersion(String model, long runId, String path) {
        try (Session session = engine.session()) {
            session.execute("DELETE FROM sluice.lake_versions WHERE model = ? AND run_id = ? AND path = ? "
                    + "AND state <> 'current'", model, runId, path);
        }
    }

    /**
     * Records rows of a storage table of the catalog ({@code table_stats}, {@code storage_decisions},
     * {@code column_compression} or {@code storage_effects}), each row's values in the table's column order; pass
     * the publishing session so they commit with the model.
     */
    public void recordStorage(Session session, StorageTable table, List<List<Object>> rows) {
        for (int from = 0; from < rows.size(); from += MANIFEST_BATCH) {
            List<String> values = new ArrayList<>();
            for (List<Object> row : rows.subList(from, Math.min(rows.size(), from + MANIFEST_BATCH))) {
                values.add("(" + String.join(", ", row.stream().map(Sql::literal).toList()) + ")");
            }
            session.execute("INSERT INTO sluice." + table.name().toLowerCase(java.util.Locale.ROOT) + " VALUES "
                    + String.join(", ", values));
        }
    }

    /** The catalog tables of storage optimisation (catalog V7). */
    public enum StorageTable { TABLE_STATS, STORAGE_DECISIONS, COLUMN_COMPRESSION, STORAGE_EFFECTS }

    public void recordSourceLoad(Session session, SourceLoadRecord record) {
        session.execute("INSERT INTO sluice.source_loads VALUES (?, ?, ?, ?, ?, ?, ?)",
                record.runId(), record.source(), record.status(), record.rows(), record.rejected(),
                record.durationMs(), record.error());
    }

    /**
     * Copies the rejected lines DuckDB's CSV reader kept in the session's temporary tables into {@code sluice.rejects}.
     * DuckDB keeps them per connection, so this must run on the session that read the files. {@code storedFile} turns
     * a SQL expression of a file's absolute path into the form the catalog keeps.
     */
    public void recordRejects(Session session, long runId, String source, String errorsTable, String scansTable,
            UnaryOperator<String> storedFile) {
        session.execute("INSERT INTO sluice.rejects SELECT ?, ?, " + rejectColumns(storedFile) + " FROM "
                + rejectsJoin(errorsTable, scansTable), runId, source);
    }

    /** Reads up to {@code limit} rejected lines from the session's temporary tables, for keeping past a rollback. */
    public Rows readRejects(Session session, String errorsTable, String scansTable, int limit,
            UnaryOperator<String> storedFile) {
        return session.query("SELECT " + rejectColumns(storedFile) + " FROM " + rejectsJoin(errorsTable, scansTable)
                + " ORDER BY s.file_path, e.line LIMIT ?", limit);
    }

    /** Stores rejected lines read earlier by {@link #readRejects}. */
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

    /** Records one rule's result; pass the publishing session so it commits with the model. */
    public void recordQualityResult(Session session, QualityResultRecord record) {
        session.execute("INSERT INTO sluice.quality_results VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                record.runId(), record.model(), record.rule(), record.ruleType(), record.severity(),
                record.rowsChecked(), record.rowsFailed(), record.failFraction(), record.thresholds(),
                record.verdict(), record.message(), record.sample(), record.durationMs(), record.checkedAt());
    }

    public void recordMetric(Session session, MetricRecord record) {
        session.execute("INSERT INTO sluice.quality_metrics VALUES (?, ?, ?, ?, ?, ?)", record.runId(),
                record.model(), record.column(), record.metric(), record.value(), LocalDateTime.now());
    }

    /** Up to {@code count} earlier values of a metric, newest first (null column: table-wide). */
    public List<Double> metricHistory(String model, String column, String metric, int count) {
        try (Session session = engine.session()) {
            Rows rows = session.query("SELECT value FROM sluice.quality_metrics WHERE model = ? AND metric = ? "
                    + "AND column_name IS NOT DISTINCT FROM ? ORDER BY run_id DESC LIMIT ?", model, metric, column,
                    count);
            List<Double> values = new ArrayList<>();
            rows.values().forEach(row -> values.add(row.get(0) == null ? null : ((Number) row.get(0)).doubleValue()));
            return values;
        }
    }

    /** Quality results of the last {@code runs} runs that checked anything, optionally of one model and rule. */
    public List<QualityResultRecord> qualityResults(String model, String rule, int runs) {
        try (Session session = engine.session()) {
            Rows rows = session.query("SELECT run_id, model, rule, rule_type, severity, rows_checked, rows_failed, "
                    + "fail_fraction, thresholds, verdict, message, sample, duration_ms, checked_at "
                    + "FROM sluice.quality_results WHERE run_id IN (SELECT DISTINCT run_id FROM sluice.quality_results "
                    + "WHERE (? IS NULL OR model = ?) ORDER BY run_id DESC LIMIT ?) AND (? IS NULL OR model = ?) "
                    + "AND (? IS NULL OR rule = ?) ORDER BY model, rule, run_id", model, model, runs, model, model,
                    rule, rule);
            return rows.values().stream().map(Catalog::qualityResult).toList();
        }
    }

    private static QualityResultRecord qualityResult(List<Object> row) {
        return new QualityResultRecord(((Number) row.get(0)).longValue(), (String) row.get(1), (String) row.get(2),
                (String) row.get(3), (String) row.get(4), ((Number) row.get(5)).longValue(),
                ((Number) row.get(6)).longValue(), ((Number) row.get(7)).doubleValue(), (String) row.get(8),
                (String) row.get(9), (String) row.get(10), (String) row.get(11), ((Number) row.get(12)).longValue(),
                (LocalDateTime) row.get(13));
    }

    /** Metrics of the last {@code runs} runs that measured any, optionally of one model, oldest first. */
    public List<MetricRecord> metrics(String model, int runs) {
        try (Session session = engine.session()) {
            Rows rows = session.query("SELECT run_id, model, column_name, metric, value FROM sluice.quality_metrics "
                    + "WHERE run_id IN (SELECT DISTINCT run_id FROM sluice.quality_metrics WHERE (? IS NULL OR model = ?) "
                    + "ORDER BY run_id DESC LIMIT ?) AND (? IS NULL OR model = ?) "
                    + "ORDER BY model, column_name NULLS FIRST, metric, run_id", model, model, runs, model, model);
            List<MetricRecord> records = new ArrayList<>();
            for (List<Object> row : rows.values()) {
                records.add(new MetricRecord(((Number) row.get(0)).longValue(), (String) row.get(1), (String) row.get(2),
                        (String) row.get(3), row.get(4) == null ? null : ((Number) row.get(4)).doubleValue()));
            }
            return records;
        }
    }

    /** The manifest of a files source: every file it has read, by path. */
    public Map<String, ManifestRecord> manifest(String source) {
        try (Session session = engine.session()) {
            Rows rows = session.query("SELECT source, path, size, modified_at, content_hash, row_count, run_id "
                    + "FROM sluice.file_manifest WHERE source = ?", source);
            Map<String, ManifestRecord> manifest = new HashMap<>();
            for (List<Object> row : rows.values()) {
                manifest.put((String) row.get(1), new ManifestRecord((String) row.get(0), (String) row.get(1),
                        ((Number) row.get(2)).longValue(), (LocalDateTime) row.get(3), (String) row.get(4),
                        ((Number) row.get(5)).longValue(), ((Number) row.get(6)).longValue()));
            }
            return manifest;
        }
    }

    /** Records the files a load read (replacing their earlier entries); pass the load's session. */
    public void recordManifest(Session session, List<ManifestRecord> files) {
        // Many rows per statement: a source of 100,000 files must not cost 100,000 round trips.
        for (int from = 0; from < files.size(); from += MANIFEST_BATCH) {
            List<String> rows = new ArrayList<>();
            for (ManifestRecord file : files.subList(from, Math.min(files.size(), from + MANIFEST_BATCH))) {
                rows.add("(" + String.join(", ", Sql.literal(file.source()), Sql.literal(file.path()),
                        Sql.literal(file.size()), Sql.literal(file.modifiedAt()), Sql.literal(file.contentHash()),
                        Sql.literal(file.rowCount()), Sql.literal(file.runId())) + ")");
            }
            session.execute("INSERT OR REPLACE INTO sluice.file_manifest VALUES " + String.join(", ", rows));
        }
    }

    private static final int MANIFEST_BATCH = 2000;

    public void forgetManifest(Session session, String source, List<String> paths) {
        for (int from = 0; from < paths.size(); from += MANIFEST_BATCH) {
            List<String> batch = paths.subList(from, Math.min(paths.size(), from + MANIFEST_BATCH));
            session.execute("DELETE FROM sluice.file_manifest WHERE source = ? AND path IN (" + String.join(", ",
                    batch.stream().map(Sql::literal).toList()) + ")", source);
        }
    }

    public void recordDetection(Session session, DetectionRecord record) {
        session.execute("INSERT INTO sluice.detections VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                record.runId(), record.source(), record.filesSeen(), record.newFiles(), record.modifiedFiles(),
                record.deletedFiles(), record.newRows(), record.changedRows(), record.retractedRows(),
                record.watermarkFrom(), record.watermarkTo(), record.durationMs(), record.details());
    }

    /**
     * The files of a manifest-tracked source whose current version was read by a load in runs {@code (afterRun,
     * upToRun]}, by path: the exact files of an incremental slice (every file when {@code afterRun} is 0).
     */
    public List<ManifestRecord> manifestFiles(String source, long afterRun, long upToRun) {
        try (Session session = engine.session()) {
            return session.query("SELECT source, path, size, modified_at, content_hash, row_count, run_id "
                    + "FROM sluice.file_manifest WHERE source = ? AND run_id > ? AND run_id <= ? ORDER BY path",
                    source, afterRun, upToRun).values().stream().map(row -> new ManifestRecord((String) row.get(0),
                            (String) row.get(1), ((Number) row.get(2)).longValue(), (LocalDateTime) row.get(3),
                            (String) row.get(4), ((Number) row.get(5)).longValue(), ((Number) row.get(6)).longValue()))
                    .toList();
        }
    }

    /**
     * The high-water marks a table source moved between in loads of runs {@code (afterRun, upToRun]}: the mark
     * before the first of them and after the last; empty when no load in that range had a watermark.
     */
    public Optional<List<String>> watermarkRange(String source, long afterRun, long upToRun) {
        try (Session session = engine.session()) {
            List<Object> row = session.query("SELECT arg_min(watermark_from, run_id), arg_max(watermark_to, run_id) "
                    + "FROM sluice.detections WHERE source = ? AND run_id > ? AND run_id <= ? "
                    + "AND watermark_to IS NOT NULL", source, afterRun, upToRun).values().get(0);
            return row.get(1) == null ? Optional.empty()
                    : Optional.of(java.util.Arrays.asList((String) row.get(0), (String) row.get(1)));
        }
    }

    /** True when a load after {@code afterRun} replaced rows of the source (a modified file, a changed key). */
    public boolean rowsChangedSince(String source, long afterRun) {
        try (Session session = engine.session()) {
            return session.query("SELECT count(*) FROM sluice.detections WHERE source = ? AND run_id > ? "
                    + "AND (modified_files > 0 OR changed_rows > 0)", source, afterRun).singleLong() > 0;
        }
    }

    /** The high-water mark a table source reached, as text, if it was ever loaded. */
    public Optional<String> watermark(String source) {
        try (Session session = engine.session()) {
            return Optional.ofNullable((String) session.query("SELECT watermark FROM sluice.watermarks WHERE source = ?",
                    source).single());
        }
    }

    public void recordWatermark(Session session, String source, String watermark, long runId) {
        session.execute("INSERT OR REPLACE INTO sluice.watermarks VALUES (?, ?, ?)", source, watermark, runId);
    }

    /** Forgets what a source has read (manifest and high-water mark), so its next load reads everything. */
    public void forgetSource(Session session, String source) {
        session.execute("DELETE FROM sluice.file_manifest WHERE source = ?", source);
        session.execute("DELETE FROM sluice.watermarks WHERE source = ?", source);
    }

    /** True when a load after {@code afterRun} removed rows of the source (retracted deleted files). */
    public boolean rowsRetractedSince(String source, long afterRun) {
        try (Session session = engine.session()) {
            return session.query("SELECT count(*) FROM sluice.detections WHERE source = ? AND run_id > ? "
                    + "AND retracted_rows > 0", source, afterRun).singleLong() > 0;
        }
    }

    /** The last run that loaded the source (new, changed or retracted rows), or 0 when none has. */
    public long lastLoad(String source) {
        try (Session session = engine.session()) {
            Object run = session.query("SELECT max(run_id) FROM sluice.detections WHERE source = ?", source).single();
            return run == null ? 0 : ((Number) run).longValue();
        }
    }

    /** An incremental model's checkpoints: source → the last source load it has folded in. */
    public Map<String, Long> checkpoints(String model) {
        try (Session session = engine.session()) {
            Map<String, Long> checkpoints = new HashMap<>();
            session.query("SELECT source, processed_run FROM sluice.checkpoints WHERE model = ?", model).values()
                    .forEach(row -> checkpoints.put((String) row.get(0), ((Number) row.get(1)).longValue()));
            return checkpoints;
        }
    }

    /** Moves a model's checkpoint; pass the publishing session so it commits with the model's data. */
    public void recordCheckpoint(Session session, String model, String source, long processedRun, long runId) {
        session.execute("INSERT OR REPLACE INTO sluice.checkpoints VALUES (?, ?, ?, ?, ?)", model, source, processedRun,
                runId, LocalDateTime.now());
    }

    /** Forgets a model's checkpoints, so its next run rebuilds it in full; returns how many were removed. */
    public long resetCheckpoints(String model) {
        try (Session session = engine.session()) {
            long count = session.query("SELECT count(*) FROM sluice.checkpoints WHERE model = ?", model).singleLong();
            session.execute("DELETE FROM sluice.checkpoints WHERE model = ?", model);
            return count;
        }
    }

    /** The recorded interval ranges of a windowed model, in time order. */
    public List<IntervalRecord> intervals(String model) {
        try (Session session = engine.session()) {
            List<IntervalRecord> records = new ArrayList<>();
            for (List<Object> row : session.query("SELECT model, interval_start, interval_end, intervals, grain, state, "
                    + "run_id, rows, max_event_time FROM sluice.intervals WHERE model = ? ORDER BY interval_start", model)
                    .values()) {
                records.add(new IntervalRecord((String) row.get(0), (LocalDateTime) row.get(1),
                        (LocalDateTime) row.get(2), ((Number) row.get(3)).longValue(), (String) row.get(4),
                        (String) row.get(5), ((Number) row.get(6)).longValue(), ((Number) row.get(7)).longValue(),
                        (LocalDateTime) row.get(8)));
            }
            return records;
        }
    }

    /**
     * Replaces interval ranges of a model: removes those starting at {@code removedStarts}, adds {@code added}; pass
     * the publishing session so they commit with its rows.
     */
    public void replaceIntervals(Session session, String model, List<LocalDateTime> removedStarts,
            List<IntervalRecord> added) {
        for (int from = 0; from < removedStarts.size(); from += MANIFEST_BATCH) {
            List<LocalDateTime> batch = removedStarts.subList(from, Math.min(removedStarts.size(), from + MANIFEST_BATCH));
            session.execute("DELETE FROM sluice.intervals WHERE model = ? AND interval_start IN (" + String.join(", ",
                    batch.stream().map(Sql::literal).toList()) + ")", model);
        }
        for (int from = 0; from < added.size(); from += MANIFEST_BATCH) {
            List<String> values = new ArrayList<>();
            for (IntervalRecord r : added.subList(from, Math.min(added.size(), from + MANIFEST_BATCH))) {
                values.add("(" + String.join(", ", Sql.literal(r.model()), Sql.literal(r.start()), Sql.literal(r.end()),
                        Sql.literal(r.intervals()), Sql.literal(r.grain()), Sql.literal(r.state()), Sql.literal(r.runId()),
                        Sql.literal(r.rows()), Sql.literal(r.maxEventTime())) + ")");
            }
            session.execute("INSERT INTO sluice.intervals VALUES " + String.join(", ", values));
        }
    }

    /** Forgets every interval range of a model (before a full rebuild); pass the publishing session. */
    public void forgetIntervals(Session session, String model) {
        session.execute("DELETE FROM sluice.intervals WHERE model = ?", model);
    }

    /** Records late rows and what became of them; pass the publishing session. */
    public void recordLateRows(Session session, List<LateRowsRecord> records) {
        for (int from = 0; from < records.size(); from += MANIFEST_BATCH) {
            List<String> values = new ArrayList<>();
            for (LateRowsRecord r : records.subList(from, Math.min(records.size(), from + MANIFEST_BATCH))) {
                values.add("(" + String.join(", ", Sql.literal(r.runId()), Sql.literal(r.model()),
                        Sql.literal(r.source()), Sql.literal(r.intervalStart()), Sql.literal(r.intervalEnd()),
                        Sql.literal(r.arrivalRun()), Sql.literal(r.disposition()), Sql.literal(r.rows()),
                        Sql.literal(r.latenessSeconds()), Sql.literal(r.assignedTo())) + ")");
            }
            session.execute("INSERT INTO sluice.late_rows VALUES " + String.join(", ", values));
        }
    }

    /** Records what a windowed model built in a run; pass the publishing session. */
    public void recordWindowRun(Session session, WindowRunRecord r) {
        session.execute("INSERT OR REPLACE INTO sluice.window_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                r.runId(), r.model(), r.intervalsProcessed(), r.intervalsRebuilt(), r.rowsWritten(), r.rowsRebuilt(),
                r.lateWithin(), r.lateReprocessed(), r.lateQuarantined(), r.lateDropped(), r.lateReassigned(),
                r.completeUntil(), r.detail());
    }

    /** Records how late a source's rows of one run arrived; a second record of the same run and column is ignored. */
    public void recordArrivalLateness(Session session, ArrivalLatenessRecord r) {
        session.execute("INSERT OR IGNORE INTO sluice.arrival_lateness VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                r.runId(), r.source(), r.column(), r.clock(), r.rows(), r.lateRows(), r.p50(), r.p95(), r.p99(),
                r.max(), r.histogram(), r.maxEventTime());
    }

    /** The arrival lateness recorded for a source's column on a clock, oldest run first. */
    public List<ArrivalLatenessRecord> arrivalLateness(String source, String column, String clock) {
        try (Session session = engine.session()) {
            List<ArrivalLatenessRecord> records = new ArrayList<>();
            for (List<Object> row : session.query("SELECT run_id, source, column_name, clock, rows, late_rows, "
                    + "p50_seconds, p95_seconds, p99_seconds, max_seconds, histogram, max_event_time FROM sluice.arrival_lateness "
                    + "WHERE source = ? AND column_name = ? AND clock = ? ORDER BY run_id", source, column, clock)
                    .values()) {
                records.add(new ArrivalLatenessRecord(((Number) row.get(0)).longValue(), (String) row.get(1),
                        (String) row.get(2), (String) row.get(3), ((Number) row.get(4)).longValue(),
                        ((Number) row.get(5)).longValue(), toDouble(row.get(6)), toDouble(row.get(7)),
                        toDouble(row.get(8)), toDouble(row.get(9)), (String) row.get(10), (LocalDateTime) row.get(11)));
            }
            return records;
        }
    }

    /**
     * The greatest event time of a source's column among the rows of runs before {@code beforeRun} whose arrival was
     * measured, or empty when none was.
     */
    public Optional<LocalDateTime> eventFrontier(Session session, String source, String column, long beforeRun) {
        return Optional.ofNullable((LocalDateTime) session.query("SELECT max(max_event_time) FROM sluice.arrival_lateness "
                + "WHERE source = ? AND column_name = ? AND run_id < ?", source, column, beforeRun).single());
    }

    private static Double toDouble(Object value) {
        return value == null ? null : ((Number) value).doubleValue();
    }

    private Rows query(String sql, Object... parameters) {
        try (Session session = engine.session()) {
            return session.query(sql, parameters);
        }
    }

    /** Per tracked source: the files its manifest holds, their bytes and rows, the newest file and the last run. */
    public Rows manifestSummary() {
        return query("SELECT source, count(*) AS files, sum(size) AS bytes, sum(row_count) AS rows, max(modified_at) "
                + "AS newest_file, max(run_id) AS last_read_run FROM sluice.file_manifest GROUP BY source ORDER BY source");
    }

    /** The checkpoints of one model ({@code schema.name}), or of all when null, by model and source. */
    public Rows checkpointRows(String model) {
        return query("SELECT model, source, processed_run, run_id, updated_at FROM sluice.checkpoints WHERE ? IS NULL "
                + "OR model = ? ORDER BY model, source", model, model);
    }

    /** The {@code limit} latest change detections, newest run first. */
    public Rows recentDetections(int limit) {
        return query("SELECT run_id, source, files_seen, new_files, modified_files, deleted_files, new_rows, "
                + "retracted_rows, duration_ms FROM sluice.detections ORDER BY run_id DESC, source LIMIT ?", limit);
    }

    /** Every built interval range of the windowed models, by model and start. */
    public Rows intervalRanges() {
        return query("SELECT model, interval_start, interval_end, intervals, grain, state, run_id, rows, "
                + "max_event_time FROM sluice.intervals ORDER BY model, interval_start");
    }

    /** Late rows per model, source and disposition: the intervals they fell in, their rows and the last run. */
    public Rows lateRowSummary() {
        return query("SELECT model, source, disposition, count(DISTINCT interval_start) AS intervals, sum(rows) AS "
                + "rows, max(run_id) AS last_run FROM sluice.late_rows GROUP BY ALL ORDER BY ALL");
    }

    /**
     * The column lineage run {@code runId} kept, one row per edge: target column, source column ({@code
     * relation.column}), type, subtype, masking and the target's expression (null when not direct).
     */
    public Rows lineageAt(long runId) {
        return query("SELECT model || '.' || column_name, source_relation || '.' || source_column, type, subtype, "
                + "coalesce(masking, false), expression FROM sluice.lineage_columns WHERE run_id = ? ORDER BY ALL",
                runId);
    }

    public Optional<RunRecord> lastRun(String command) {
        List<RunRecord> runs = runs("WHERE command = ? ORDER BY run_id DESC LIMIT 1", command);
        return runs.stream().findFirst();
    }

    public List<RunRecord> recentRuns(int limit) {
        return runs("ORDER BY run_id DESC LIMIT ?", limit);
    }

    private List<RunRecord> runs(String clause, Object... parameters) {
        try (Session session = engine.session()) {
            Rows rows = session.query("SELECT run_id, started_at, finished_at, status, command, args, engine_version, "
                    + "host, pid FROM sluice.runs " + clause, parameters);
            List<RunRecord> runs = new ArrayList<>();
            for (List<Object> row : rows.values()) {
                runs.add(new RunRecord(((Number) row.get(0)).longValue(), (LocalDateTime) row.get(1),
                        (LocalDateTime) row.get(2), (String) row.get(3), (String) row.get(4), (String) row.get(5),
                        (String) row.get(6), (String) row.get(7), ((Number) row.get(8)).longValue()));
            }
            return runs;
        }
    }

    public List<ModelRunRecord> modelRuns(long runId) {
        return modelRuns("WHERE run_id = ? ORDER BY started_at NULLS LAST, model", runId);
    }

    /**
     * The last run that really built the model (status {@code success}; not one that found it up to date), or
     * empty.
     */
    public Optional<Long> lastBuild(String model) {
        try (Session session = engine.session()) {
            Object run = session.query("SELECT max(run_id) FROM sluice.model_runs WHERE model = ? AND status = 'success'",
                    model).single();
            return Optional.ofNullable(run == null ? null : ((Number) run).longValue());
        }
    }

    /** Each model's and source's rule results from the last run that checked it. */
    public List<QualityResultRecord> lastQualityResults() {
        try (Session session = engine.session()) {
            Rows rows = session.query("SELECT run_id, model, rule, rule_type, severity, rows_checked, rows_failed, "
                    + "fail_fraction, thresholds, verdict, message, sample, duration_ms, checked_at "
                    + "FROM sluice.quality_results QUALIFY run_id = max(run_id) OVER (PARTITION BY model) "
                    + "ORDER BY model, rule");
            return rows.values().stream().map(Catalog::qualityResult).toList();
        }
    }

    /** Each model's most recent outcome, whatever it was, by model name. */
    public List<ModelRunRecord> lastModelRuns() {
        return modelRuns("QUALIFY row_number() OVER (PARTITION BY model ORDER BY run_id DESC) = 1 ORDER BY model");
    }

    /** The latest successful outcome of a model (built, or found up to date), if it was ever built. */
    public Optional<ModelRunRecord> lastSuccess(String model) {
        return modelRuns("WHERE model = ? AND status IN ('success', 'up_to_date') ORDER BY run_id DESC LIMIT 1", model)
                .stream().findFirst();
    }

    private List<ModelRunRecord> modelRuns(String clause, Object... parameters) {
        try (Session session = engine.session()) {
            Rows rows = session.query("SELECT run_id, model, relation, materialized, status, rows, bytes, started_at, "
                    + "duration_ms, sql_hash, reason, error, build_kind FROM sluice.model_runs " + clause, parameters);
            List<ModelRunRecord> records = new ArrayList<>();
            for (List<Object> row : rows.values()) {
                records.add(new ModelRunRecord(((Number) row.get(0)).longValue(), (String) row.get(1),
                        (String) row.get(2), (String) row.get(3), (String) row.get(4), toLong(row.get(5)),
                        toLong(row.get(6)), (LocalDateTime) row.get(7), ((Number) row.get(8)).longValue(),
                        (String) row.get(9), (String) row.get(10), (String) row.get(11), (String) row.get(12)));
            }
            return records;
        }
    }

    private static Long toLong(Object value) {
        return value == null ? null : ((Number) value).longValue();
    }
}
