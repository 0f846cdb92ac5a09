package dev.sluice.exec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.sluice.QualityResult;
import dev.sluice.catalog.Catalog;
import dev.sluice.catalog.MetricRecord;
import dev.sluice.catalog.QualityResultRecord;
import dev.sluice.engine.Rows;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import dev.sluice.project.ColumnMasks;
import dev.sluice.project.Mask;
import dev.sluice.project.Model;
import dev.sluice.quality.Gate;
import dev.sluice.quality.Rule;
import dev.sluice.quality.RuleResult;
import dev.sluice.quality.Verdict;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Runs quality gates on a session (inside the caller's transaction): the gate's single scan, its query rules,
 * samples of failing rows, quarantine, and the catalog records.
 */
final class GateRunner {
    private static final int SAMPLE_ROWS = 5;
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final Catalog catalog;
    private final long runId;
    /** The masked columns of the run: samples of failing rows leave the engine for the catalog and messages. */
    private final ColumnMasks masks;

    /**
     * A gate's outcome on one relation, with samples of failing rows (JSON) by rule name.
     *
     * @param owner the model or source as results name it
     * @param stored the qualified name ({@code schema.name}) the catalog records it under
     */
    record Checked(String owner, String stored, Gate gate, Gate.Outcome outcome, Map<String, String> samples,
            long durationMillis) {

        boolean passed() {
            return outcome.passed();
        }

        /** These results followed by another gate's on the same owner (its metrics measure the whole table). */
        Checked with(Checked other) {
            List<RuleResult> results = new ArrayList<>(outcome.results());
            results.addAll(other.outcome().results());
            Map<String, String> allSamples = new HashMap<>(samples);
            allSamples.putAll(other.samples());
            return new Checked(owner, stored, gate, new Gate.Outcome(results, outcome.metrics(), outcome.rows()),
                    allSamples,
                    durationMillis + other.durationMillis());
        }

        List<QualityResult> results() {
            List<QualityResult> results = new ArrayList<>();
            for (RuleResult result : outcome.results()) {
                Rule rule = result.rule();
                results.add(new QualityResult(owner, rule.name(), rule.type(),
                        rule.severity().name().toLowerCase(Locale.ROOT), result.rowsChecked(), result.rowsFailed(),
                        result.failFraction(), result.thresholds(), result.verdict().word(), result.message(),
                        samples.get(rule.name())));
            }
            return results;
        }

        /** Why the gate stops the model: each blocking rule with its counts, threshold and failing rows. */
        String failure() {
            return outcome.results().stream().filter(RuleResult::blocks)
                    .map(result -> "quality rule '" + result.rule().name() + "' (" + result.rule().location() + ") failed: "
                            + result.message() + (samples.containsKey(result.rule().name())
                                    ? "; failing rows: " + samples.get(result.rule().name()) : ""))
                    .collect(Collectors.joining("; "));
        }
    }

    GateRunner(Catalog catalog, long runId, ColumnMasks masks) {
        this.catalog = catalog;
        this.runId = runId;
        this.masks = masks;
    }

    /** Checks {@code relation} (quoted) against the rules of a model. */
    Checked check(Session session, Model model, List<Rule> rules, String relation) {
        return check(session, model.name(), model.qualifiedName(), rules, relation);
    }

    /** Checks {@code relation} (quoted) against the rules of a source ({@code schema.table}). */
    Checked check(Session session, String source, List<Rule> rules, String relation) {
        return check(session, source, source, rules, relation);
    }

    private Checked check(Session session, String owner, String stored, List<Rule> rules, String relation) {
        long start = System.nanoTime();
        Gate gate = new Gate(rules, relation, session.dialect());
        Map<String, String> columns = columns(session, "SELECT * FROM " + relation + " AS t");
        List<Object> scan = gate.scan(sql -> session.query(sql).values().get(0), columns);
        List<Long> counts = new ArrayList<>();
        for (String sql : gate.queryCountSqls()) {
            counts.add(session.query(sql).singleLong());
        }
        Gate.Outcome outcome = gate.judge(scan, counts, columns,
                (column, metric, count) -> catalog.quality().metricHistory(stored, column, metric, count));
        Map<String, String> samples = new HashMap<>();
        for (RuleResult result : outcome.results()) {
            Rule.Kind kind = result.rule().check().kind();
            if (result.rowsFailed() > 0 && (kind == Rule.Kind.ROW || kind == Rule.Kind.QUERY)) {
                samples.put(result.rule().name(), json(masked(session.query(gate.sampleSql(result.rule(), SAMPLE_ROWS,
                        session.dialect().columnsWithoutPrefix(Gate.HELPER_PREFIX))), masks.of(stored),
                        columns.keySet())));
            }
        }
        return new Checked(owner, stored, gate, outcome, samples, (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * Moves the rows failing quarantine rules from the relation to {@code <schema>.<table>__quarantine} (created or
     * widened as needed), tagged with rule, reason and run id; returns how many rows moved.
     */
    long quarantine(Session session, Checked checked, String schema, String table, String relation) {
        List<Rule> rules = checked.outcome().quarantined();
        if (rules.isEmpty() || !checked.passed()) {
            return 0;
        }
        String target = Sql.qualified(schema, table + "__quarantine");
        String rows = checked.gate().quarantineSql(rules, runId);
        String tagged = "SELECT " + session.dialect().allColumnsExcept("__sluice_rowid") + " FROM (" + rows + ") AS q";
        boolean exists = !session.query(session.dialect().relationsNamedQuery(schema, table + "__quarantine"))
                .values().isEmpty();
        if (!exists) {
            // Created with its rows in one statement (see Tracked.append for the DuckDB statistics trap).
            session.execute("CREATE TABLE " + target + " AS " + tagged);
        } else {
            java.util.Set<String> existing = new java.util.HashSet<>();
            columns(session, "SELECT * FROM " + target).keySet()
                    .forEach(column -> existing.add(column.toLowerCase(Locale.ROOT)));
            for (Map.Entry<String, String> column : columns(session, tagged).entrySet()) {
                if (!existing.contains(column.getKey().toLowerCase(Locale.ROOT))) {
                    session.execute("ALTER TABLE " + target + " ADD COLUMN " + Sql.identifier(column.getKey()) + " "
                            + column.getValue());
                }
            }
            session.execute(session.dialect().insertByName(target, tagged));
        }
        long before = session.query("SELECT count(*) FROM " + relation).singleLong();
        session.execute("DELETE FROM " + relation + " WHERE " + session.dialect().rowId() + " IN (SELECT __sluice_rowid FROM ("
                + rows + "))");
        return before - session.query("SELECT count(*) FROM " + relation).singleLong();
    }

    /**
     * The columns of {@code query} with their types as Sluice names them on every engine (DuckDB's names): what a
     * schema rule compares and a quarantine table is widened with.
     */
    private static Map<String, String> columns(Session session, String query) {
        dev.sluice.engine.Description description = session.describe(query);
        Map<String, String> columns = new LinkedHashMap<>();
        for (int i = 0; i < description.columns().size(); i++) {
            columns.put(description.columns().get(i), description.types().get(i));
        }
        return columns;
    }

    /** Records the results, and the metrics when the data they describe is published. */
    void record(Session session, Checked checked, boolean published) {
        LocalDateTime now = LocalDateTime.now();
        catalog.quality().recordQualityResults(session, checked.results().stream().map(result ->
                new QualityResultRecord(runId, checked.stored(), result.rule(), result.type(), result.severity(),
                        result.rowsChecked(), result.rowsFailed(), result.failFraction(), result.thresholds(),
                        result.verdict(), result.message(), result.sample(), checked.durationMillis(), now)).toList());
        if (published) {
            catalog.quality().recordMetrics(session, checked.outcome().metrics().stream().map(metric ->
                    new MetricRecord(runId, checked.stored(), metric.column(), metric.metric(), metric.value()))
                    .toList());
        }
    }

    /** Warnings of a passing gate, for the run output. */
    static long warnings(Checked checked) {
        return checked.outcome().results().stream().filter(r -> r.verdict() != Verdict.PASS && !r.blocks()).count();
    }

    /**
     * The sample with the relation's masked columns masked. A column that is not one of the relation's (a query
     * rule's computed or renamed column) may hold any of them: redacted whenever the relation has masked columns.
     */
    private static Rows masked(Rows rows, Map<String, Mask> masked, java.util.Set<String> relationColumns) {
        if (masked.isEmpty()) {
            return rows;
        }
        java.util.Set<String> known = relationColumns.stream().map(c -> c.toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
        List<Mask> byPosition = rows.columns().stream().map(column -> column.toLowerCase(Locale.ROOT))
                .map(column -> known.contains(column) ? masked.get(column) : Mask.REDACT).toList();
        List<List<Object>> values = new ArrayList<>();
        for (List<Object> row : rows.values()) {
            List<Object> copy = new ArrayList<>(row);
            for (int i = 0; i < copy.size(); i++) {
                if (byPosition.get(i) != null) {
                    copy.set(i, byPosition.get(i).apply(copy.get(i)));
                }
            }
            values.add(copy);
        }
        return new Rows(rows.columns(), values);
    }

    private static String json(Rows rows) {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (List<Object> row : rows.values()) {
            Map<String, Object> object = new LinkedHashMap<>();
            for (int i = 0; i < row.size(); i++) {
                object.put(rows.columns().get(i), row.get(i));
            }
            objects.add(object);
        }
        try {
            return JSON.writeValueAsString(objects);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("rows of plain values always serialise", e);
        }
    }
}
