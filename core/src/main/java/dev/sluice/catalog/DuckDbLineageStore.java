package dev.sluice.catalog;

import dev.sluice.engine.Engine;
import dev.sluice.engine.Rows;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@link LineageStore} on the DuckDB tables of schema {@code sluice}. */
final class DuckDbLineageStore implements LineageStore {
    private final Engine engine;

    DuckDbLineageStore(Engine engine) {
        this.engine = engine;
    }

    @Override
    public void recordLineage(Session session, long runId, List<List<Object>> rows) {
        for (List<List<Object>> batch : CatalogRows.batches(rows)) {
            session.execute("INSERT INTO sluice.lineage_columns (run_id, model, column_name, source_relation, "
                    + "source_column, type, subtype, expression, masking) VALUES " + values(runId, batch));
        }
    }

    @Override
    public void recordExpressions(Session session, long runId, List<List<String>> rows) {
        for (List<List<String>> batch : CatalogRows.batches(rows)) {
            session.execute("INSERT INTO sluice.column_expressions VALUES " + values(runId, batch));
        }
    }

    /** The rows as a VALUES list, each led by the run. */
    private static String values(long runId, List<? extends List<?>> rows) {
        return String.join(", ", rows.stream().map(row -> "(" + runId + ", " + String.join(", ",
                row.stream().map(Sql::literal).toList()) + ")").toList());
    }

    @Override
    public Map<String, String> expressionsAt(String model, long runId) {
        try (Session session = engine.session()) {
            Map<String, String> expressions = new LinkedHashMap<>();
            session.query("SELECT column_name, expression FROM sluice.column_expressions WHERE model = ? "
                    + "AND run_id = ?", model, runId).values()
                    .forEach(row -> expressions.put((String) row.get(0), (String) row.get(1)));
            return expressions;
        }
    }

    @Override
    public void recordRunLineage(Session session, long runId, String model, String status, String inputs, Long rows,
            String sqlHash, String sqlText, String verdicts, String engineVersion, String parameters) {
        session.execute("INSERT INTO sluice.lineage_runs (run_id, model, status, inputs, rows, sql_hash, sql_text, "
                + "verdicts, engine_version, parameters) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", runId, model, status,
                inputs, rows, sqlHash, sqlText, verdicts, engineVersion, parameters);
    }

    @Override
    public Rows lineageAt(long runId) {
        try (Session session = engine.session()) {
            return session.query("SELECT model || '.' || column_name, source_relation || '.' || source_column, type, "
                    + "subtype, coalesce(masking, false), expression FROM sluice.lineage_columns WHERE run_id = ? "
                    + "ORDER BY 1, 2, 3, 4, 5, 6", runId);
        }
    }

    @Override
    public void recordMasks(Session session, long runId, List<List<Object>> rows) {
        for (List<List<Object>> batch : CatalogRows.batches(rows)) {
            session.execute("INSERT INTO sluice.column_masks VALUES " + values(runId, batch));
        }
    }

    @Override
    public Rows latestMasks() {
        try (Session session = engine.session()) {
            if (!CatalogRows.tableExists(session, "column_masks")) {
                return session.query("SELECT NULL AS relation, NULL AS column_name, NULL AS mask WHERE false");
            }
            return session.query("SELECT relation, column_name, mask FROM sluice.column_masks WHERE run_id = "
                    + "(SELECT max(run_id) FROM sluice.lineage_columns) ORDER BY 1, 2, 3");
        }
    }
}
