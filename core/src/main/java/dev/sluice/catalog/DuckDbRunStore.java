package dev.sluice.catalog;

import dev.sluice.engine.Engine;
import dev.sluice.engine.Rows;
import dev.sluice.engine.Session;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** {@link RunStore} on the DuckDB tables of schema {@code sluice}. */
final class DuckDbRunStore implements RunStore {
    private final Engine engine;

    DuckDbRunStore(Engine engine) {
        this.engine = engine;
    }

    @Override
    public long startRun(String command, String args, String engineVersion, String sluiceVersion, String host,
            long pid) {
        try (Session session = engine.session()) {
            long runId = session.query("SELECT nextval('sluice.run_ids')").singleLong();
            session.execute("INSERT INTO sluice.runs VALUES (?, ?, NULL, 'running', ?, ?, ?, ?, ?, ?)",
                    runId, LocalDateTime.now(), command, args, engineVersion, sluiceVersion, host, pid);
            return runId;
        }
    }

    @Override
    public void finishRun(long runId, String status) {
        try (Session session = engine.session()) {
            session.execute("UPDATE sluice.runs SET status = ?, finished_at = ? WHERE run_id = ?",
                    status, LocalDateTime.now(), runId);
        }
    }

    @Override
    public void recordLockTakeover(String command, String previousHolder, String host, long pid,
            List<Long> killedRuns) {
        try (Session session = engine.session()) {
            session.execute("INSERT INTO sluice.lock_takeovers VALUES (?, ?, ?, ?, ?, " + killedRuns.stream()
                    .map(String::valueOf).collect(Collectors.joining(", ", "ARRAY[", "]::BIGINT[]")) + ")",
                    LocalDateTime.now(), command, host, pid, previousHolder);
        }
    }

    @Override
    public LocalDateTime startedAt(Session session, long runId) {
        return (LocalDateTime) session.query("SELECT started_at FROM sluice.runs WHERE run_id = ?", runId).single();
    }

    @Override
    public Optional<RunRecord> lastRun(String command) {
        List<RunRecord> runs = runs("WHERE command = ? ORDER BY run_id DESC LIMIT 1", command);
        return runs.stream().findFirst();
    }

    @Override
    public List<RunRecord> recentRuns(int limit) {
        return runs("ORDER BY run_id DESC LIMIT ?", limit);
    }

    private List<RunRecord> runs(String clause, Object... parameters) {
        try (Session session = engine.session()) {
            // A catalog older than V18 read without migrating it has no schedule runs.
            String schedule = DuckDbScheduleStore.present(session) ? "(SELECT min(s.schedule) FROM "
                    + "sluice.schedule_runs s WHERE s.run_id = runs.run_id)" : "NULL";
            Rows rows = session.query("SELECT run_id, started_at, finished_at, status, command, args, engine_version, "
                    + "host, pid, " + schedule + " FROM sluice.runs " + clause, parameters);
            List<RunRecord> runs = new ArrayList<>();
            for (List<Object> row : rows.values()) {
                runs.add(new RunRecord(((Number) row.get(0)).longValue(), (LocalDateTime) row.get(1),
                        (LocalDateTime) row.get(2), (String) row.get(3), (String) row.get(4), (String) row.get(5),
                        (String) row.get(6), (String) row.get(7), ((Number) row.get(8)).longValue(),
                        (String) row.get(9)));
            }
            return runs;
        }
    }

    @Override
    public void recordModelRun(Session session, ModelRunRecord record) {
        session.execute("INSERT INTO sluice.model_runs (run_id, model, relation, materialized, status, rows, bytes, "
                + "started_at, duration_ms, sql_hash, reason, error, build_kind) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                record.runId(), record.model(), record.relation(), record.materialized(), record.status(),
                record.rows(), record.bytes(), record.startedAt(), record.durationMs(), record.sqlHash(),
                record.reason(), record.error(), record.buildKind());
    }

    @Override
    public void recordModelWarning(long runId, String model, String warning) {
        try (Session session = engine.session()) {
            session.execute("UPDATE sluice.model_runs SET warning = ? WHERE run_id = ? AND model = ?", warning, runId,
                    model);
        }
    }

    @Override
    public void recordModelSnapshot(Session session, long runId, String model, long snapshotId) {
        session.execute("UPDATE sluice.model_runs SET snapshot_id = ? WHERE run_id = ? AND model = ?", snapshotId, runId,
                model);
    }

    @Override
    public void recordModelStorage(Session session, long runId, String model, long statisticsMs, long layoutMs,
            Long bytes) {
        session.execute("UPDATE sluice.model_runs SET statistics_ms = ?, layout_ms = ?, bytes = coalesce(?, bytes) "
                + "WHERE run_id = ? AND model = ?", statisticsMs, layoutMs, bytes, runId, model);
        if (bytes != null) {
            session.execute("UPDATE sluice.lineage_runs SET bytes = ? WHERE run_id = ? AND model = ?", bytes, runId,
                    model);
        }
    }

    @Override
    public List<ModelRunRecord> modelRuns(long runId) {
        return modelRuns("WHERE run_id = ? ORDER BY started_at NULLS LAST, model", runId);
    }

    @Override
    public List<ModelRunRecord> lastModelRuns() {
        return modelRuns("WHERE run_id = (SELECT max(l.run_id) FROM sluice.model_runs l WHERE l.model = model_runs.model) "
                + "ORDER BY model");
    }

    @Override
    public Optional<ModelRunRecord> lastSuccess(String model) {
        return modelRuns("WHERE model = ? AND status IN ('success', 'up_to_date') ORDER BY run_id DESC LIMIT 1", model)
                .stream().findFirst();
    }

    @Override
    public Optional<Long> lastBuild(String model) {
        try (Session session = engine.session()) {
            Object run = session.query("SELECT max(run_id) FROM sluice.model_runs WHERE model = ? "
                    + "AND status = 'success'", model).single();
            return Optional.ofNullable(run == null ? null : ((Number) run).longValue());
        }
    }

    private List<ModelRunRecord> modelRuns(String clause, Object... parameters) {
        try (Session session = engine.session()) {
            Rows rows = session.query("SELECT run_id, model, relation, materialized, status, rows, bytes, started_at, "
                    + "duration_ms, sql_hash, reason, error, build_kind, snapshot_id FROM sluice.model_runs " + clause, parameters);
            List<ModelRunRecord> records = new ArrayList<>();
            for (List<Object> row : rows.values()) {
                records.add(new ModelRunRecord(((Number) row.get(0)).longValue(), (String) row.get(1),
                        (String) row.get(2), (String) row.get(3), (String) row.get(4), CatalogRows.toLong(row.get(5)),
                        CatalogRows.toLong(row.get(6)), (LocalDateTime) row.get(7), ((Number) row.get(8)).longValue(),
                        (String) row.get(9), (String) row.get(10), (String) row.get(11), (String) row.get(12),
                        CatalogRows.toLong(row.get(13))));
            }
            return records;
        }
    }

    @Override
    public void recordSinkWrite(SinkWriteRecord record) {
        try (Session session = engine.session()) {
            session.execute("INSERT OR REPLACE INTO sluice.sink_writes (run_id, model, target, mode, write_kind, "
                    + "model_run, status, rows, duration_ms, error, written_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    record.runId(), record.model(), record.target(), record.mode(), record.writeKind(),
                    record.modelRun(), record.status(), record.rows(), record.durationMs(), record.error(),
                    record.writtenAt());
        }
    }

    @Override
    public boolean sinkBehind(String model, String target, long beforeRun) {
        try (Session session = engine.session()) {
            Object held = session.query("SELECT max(model_run) FROM sluice.sink_writes WHERE model = ? AND target = ? "
                    + "AND status = 'success'", model, target).single();
            if (held == null) {
                return true;
            }
            return Boolean.TRUE.equals(session.query("SELECT EXISTS (SELECT 1 FROM sluice.model_runs WHERE model = ? "
                    + "AND status = 'success' AND run_id > ? AND run_id < ?)", model, ((Number) held).longValue(),
                    beforeRun).single());
        }
    }
}
