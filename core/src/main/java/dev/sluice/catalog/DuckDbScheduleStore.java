package dev.sluice.catalog;

import dev.sluice.engine.Engine;
import dev.sluice.engine.Rows;
import dev.sluice.engine.Session;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** {@link ScheduleStore} on the DuckDB table {@code sluice.schedule_runs}. */
final class DuckDbScheduleStore implements ScheduleStore {
    private static final String SELECT = "SELECT s.schedule, s.due_at, s.status, s.run_id, r.status, s.reason "
            + "FROM sluice.schedule_runs s LEFT JOIN sluice.runs r ON r.run_id = s.run_id ";

    private final Engine engine;

    DuckDbScheduleStore(Engine engine) {
        this.engine = engine;
    }

    @Override
    public void record(ScheduleRunRecord record) {
        // A run that started and then failed is told apart by its run's status; the failure the runner sees
        // afterwards must not hide which run it was.
        String conflict = "started".equals(record.status()) ? "OR REPLACE " : "OR IGNORE ";
        try (Session session = engine.session()) {
            session.execute("INSERT " + conflict + "INTO sluice.schedule_runs (schedule, due_at, status, run_id, "
                    + "reason, recorded_at) VALUES (?, ?, ?, ?, ?, ?)", record.schedule(), record.dueAt(),
                    record.status(), record.runId(), record.reason(), LocalDateTime.now(ZoneOffset.UTC));
        }
    }

    @Override
    public List<ScheduleRunRecord> recent(String schedule, int limit) {
        return schedule == null ? read("ORDER BY s.due_at DESC, s.schedule LIMIT ?", limit)
                : read("WHERE s.schedule = ? ORDER BY s.due_at DESC LIMIT ?", schedule, limit);
    }

    @Override
    public List<ScheduleRunRecord> latest() {
        return read("WHERE s.due_at = (SELECT max(l.due_at) FROM sluice.schedule_runs l WHERE l.schedule = s.schedule) "
                + "ORDER BY s.schedule");
    }

    private List<ScheduleRunRecord> read(String clause, Object... parameters) {
        try (Session session = engine.session()) {
            if (!present(session)) {
                return List.of();
            }
            Rows rows = session.query(SELECT + clause, parameters);
            List<ScheduleRunRecord> records = new ArrayList<>();
            for (List<Object> row : rows.values()) {
                records.add(new ScheduleRunRecord((String) row.get(0), (LocalDateTime) row.get(1), (String) row.get(2),
                        row.get(3) == null ? null : ((Number) row.get(3)).longValue(), (String) row.get(4),
                        (String) row.get(5)));
            }
            return records;
        }
    }

    /** False on a catalog older than V18 opened read-only (it is not migrated then). */
    static boolean present(Session session) {
        return CatalogRows.tableExists(session, "schedule_runs");
    }
}
