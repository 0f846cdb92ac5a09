package dev.sluice.catalog;

import dev.sluice.engine.Engine;
import dev.sluice.engine.Rows;
import dev.sluice.engine.Session;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/** {@link QualityStore} on the DuckDB tables of schema {@code sluice}. */
final class DuckDbQualityStore implements QualityStore {
    private final Engine engine;

    DuckDbQualityStore(Engine engine) {
        this.engine = engine;
    }

    @Override
    public void recordQualityResults(Session session, List<QualityResultRecord> records) {
        // one statement for the gate, not one per rule: each is a round trip inside the publishing transaction
        CatalogRows.insert(session, "quality_results", records.stream().map(record -> java.util.Arrays.<Object>asList(
                record.runId(), record.model(), record.rule(), record.ruleType(), record.severity(),
                record.rowsChecked(), record.rowsFailed(), record.failFraction(), record.thresholds(),
                record.verdict(), record.message(), record.sample(), record.durationMs(), record.checkedAt())).toList());
    }

    @Override
    public void recordMetrics(Session session, List<MetricRecord> records) {
        LocalDateTime measuredAt = LocalDateTime.now();
        CatalogRows.insert(session, "quality_metrics", records.stream().map(record -> java.util.Arrays.<Object>asList(
                record.runId(), record.model(), record.column(), record.metric(), record.value(), measuredAt))
                .toList());
    }

    @Override
    public List<Double> metricHistory(String model, String column, String metric, int count) {
        try (Session session = engine.session()) {
            Rows rows = session.query("SELECT value FROM sluice.quality_metrics WHERE model = ? AND metric = ? "
                    + "AND column_name IS NOT DISTINCT FROM ? ORDER BY run_id DESC LIMIT ?", model, metric, column,
                    count);
            List<Double> values = new ArrayList<>();
            rows.values().forEach(row -> values.add(CatalogRows.toDouble(row.get(0))));
            return values;
        }
    }

    @Override
    public List<QualityResultRecord> qualityResults(String model, String rule, int runs) {
        try (Session session = engine.session()) {
            Rows rows = session.query("SELECT run_id, model, rule, rule_type, severity, rows_checked, rows_failed, "
                    + "fail_fraction, thresholds, verdict, message, sample, duration_ms, checked_at "
                    + "FROM sluice.quality_results WHERE run_id IN (SELECT DISTINCT run_id FROM sluice.quality_results "
                    + "WHERE (? IS NULL OR model = ?) ORDER BY run_id DESC LIMIT ?) AND (? IS NULL OR model = ?) "
                    + "AND (? IS NULL OR rule = ?) ORDER BY model, rule, run_id", model, model, runs, model, model,
                    rule, rule);
            return rows.values().stream().map(DuckDbQualityStore::qualityResult).toList();
        }
    }

    @Override
    public List<QualityResultRecord> lastQualityResults() {
        try (Session session = engine.session()) {
            Rows rows = session.query("SELECT run_id, model, rule, rule_type, severity, rows_checked, rows_failed, "
                    + "fail_fraction, thresholds, verdict, message, sample, duration_ms, checked_at "
                    + "FROM sluice.quality_results WHERE run_id = (SELECT max(l.run_id) FROM sluice.quality_results l "
                    + "WHERE l.model = quality_results.model) "
                    + "ORDER BY model, rule");
            return rows.values().stream().map(DuckDbQualityStore::qualityResult).toList();
        }
    }

    private static QualityResultRecord qualityResult(List<Object> row) {
        return new QualityResultRecord(((Number) row.get(0)).longValue(), (String) row.get(1), (String) row.get(2),
                (String) row.get(3), (String) row.get(4), ((Number) row.get(5)).longValue(),
                ((Number) row.get(6)).longValue(), ((Number) row.get(7)).doubleValue(), (String) row.get(8),
                (String) row.get(9), (String) row.get(10), (String) row.get(11), ((Number) row.get(12)).longValue(),
                (LocalDateTime) row.get(13));
    }

    @Override
    public List<MetricRecord> metrics(String model, int runs) {
        try (Session session = engine.session()) {
            Rows rows = session.query("SELECT run_id, model, column_name, metric, value FROM sluice.quality_metrics "
                    + "WHERE run_id IN (SELECT DISTINCT run_id FROM sluice.quality_metrics "
                    + "WHERE (? IS NULL OR model = ?) ORDER BY run_id DESC LIMIT ?) AND (? IS NULL OR model = ?) "
                    + "ORDER BY model, column_name NULLS FIRST, metric, run_id", model, model, runs, model, model);
            List<MetricRecord> records = new ArrayList<>();
            for (List<Object> row : rows.values()) {
                records.add(new MetricRecord(((Number) row.get(0)).longValue(), (String) row.get(1),
                        (String) row.get(2), (String) row.get(3), CatalogRows.toDouble(row.get(4))));
            }
            return records;
        }
    }
}
